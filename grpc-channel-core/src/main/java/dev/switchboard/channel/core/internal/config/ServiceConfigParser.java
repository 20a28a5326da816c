package dev.switchboard.channel.core.internal.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.core.PluginRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses service configs (gRPC's service config document, JSON form) with jackson-jr.
 *
 * <ul>
 *   <li>{@code loadBalancingConfig}: a list of one-entry objects; the first whose policy has an
 *       available provider wins, and that provider parses its config; if none is supported the
 *       config is invalid.
 *   <li>{@code loadBalancingPolicy}: the legacy field ({@code "ROUND_ROBIN"} → {@code round_robin}),
 *       used only when {@code loadBalancingConfig} is absent.
 *   <li>{@code methodConfig}: {@code name} ({@code service} + optional {@code method}; an empty name
 *       is the global default), {@code timeout} ({@code "1.5s"}), {@code waitForReady},
 *       {@code maxRequestMessageBytes}, {@code maxResponseMessageBytes}. A name listed twice is an
 *       error. Other fields ({@code retryPolicy}, …) are accepted and not applied.
 *   <li>Unknown top-level fields are ignored, as the document asks.
 * </ul>
 *
 * <p>Errors are {@link Status.Code#INVALID_ARGUMENT} with a description that starts with
 * {@code service config:} and gives the JSON path of the culprit.
 *
 * <p>Thread-safe.
 */
public final class ServiceConfigParser {

  // google.protobuf.Duration in JSON: seconds with up to 9 fractional digits and an "s".
  private static final Pattern DURATION = Pattern.compile("(-?)(\\d+)(?:\\.(\\d{1,9}))?s");

  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  private final PluginRegistry registry;

  /** Creates a parser that resolves policy names in {@code registry}. */
  public ServiceConfigParser(PluginRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  /** Parses {@code json}; never throws. */
  public ConfigOrError<ServiceConfig> parse(String json) {
    requireNonNull(json, "json");
    Object root;
    try (JsonParser parser = JSON_FACTORY.createParser(json)) {
      root = JSON.std.anyFrom(parser);
      if (parser.nextToken() != null) {
        return error("not valid JSON: text after the value at column "
            + parser.currentTokenLocation().getColumnNr());
      }
    } catch (IOException | RuntimeException e) {
      return error("not valid JSON: " + ErrorText.cut(firstLine(e.getMessage())));
    }
    try {
      Map<String, ?> top = asObject(root, "$");
      return ConfigOrError.of(new ParsedServiceConfig(json, policy(top), methodConfigs(top)));
    } catch (InvalidConfigException e) {
      return error(e.getMessage());
    }
  }

  private ChildPolicy<?> policy(Map<String, ?> top) {
    Object lbConfigs = top.get("loadBalancingConfig");
    if (lbConfigs != null) {
      List<?> list = asList(lbConfigs, "loadBalancingConfig");
      if (!list.isEmpty()) {
        return selected(registry.parsePolicyList(normalizeList(list)), "loadBalancingConfig");
      }
    }
    Object legacy = top.get("loadBalancingPolicy");
    if (legacy != null) {
      String name = asString(legacy, "loadBalancingPolicy").toLowerCase(Locale.ROOT);
      BalancerProvider<?> provider = registry.balancerProvider(name).orElseThrow(() ->
          new InvalidConfigException("loadBalancingPolicy: " + ErrorText.quote(name)
              + " has no provider (available: " + registry.policies() + ")"));
      return selected(registry.parsePolicy(provider, Map.of(), "." + name), "loadBalancingPolicy");
    }
    return null;
  }

  /** Returns the selection, or throws its error prefixed with {@code path}. */
  private static ChildPolicy<?> selected(ConfigOrError<ChildPolicy<?>> selection, String path) {
    if (!selection.isOk()) {
      String error = selection.status().description().orElse("");
      throw new InvalidConfigException(path + (error.startsWith("[") || error.startsWith(".") ? "" : ": ") + error);
    }
    return selection.config().orElseThrow();
  }

  private static Map<String, MethodConfig> methodConfigs(Map<String, ?> top) {
    Object raw = top.get("methodConfig");
    if (raw == null) {
      return Map.of();
    }
    List<?> list = asList(raw, "methodConfig");
    Map<String, MethodConfig> out = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "methodConfig[" + i + "]";
      Map<String, ?> mc = asObject(list.get(i), path);
      MethodConfig config = new MethodConfig(
          mc.containsKey("timeout") ? duration(mc.get("timeout"), path + ".timeout") : null,
          mc.containsKey("waitForReady") ? asBoolean(mc.get("waitForReady"), path + ".waitForReady") : null,
          mc.containsKey("maxRequestMessageBytes")
              ? size(mc.get("maxRequestMessageBytes"), path + ".maxRequestMessageBytes") : -1,
          mc.containsKey("maxResponseMessageBytes")
              ? size(mc.get("maxResponseMessageBytes"), path + ".maxResponseMessageBytes") : -1);
      Object names = mc.get("name");
      if (names == null) {
        throw new InvalidConfigException(path + ".name: missing (expected: a list of {service, method})");
      }
      List<?> nameList = asList(names, path + ".name");
      for (int j = 0; j < nameList.size(); j++) {
        String namePath = path + ".name[" + j + "]";
        String key = methodKey(asObject(nameList.get(j), namePath), namePath);
        if (out.put(key, config) != null) {
          throw new InvalidConfigException(namePath + ": " + (key.isEmpty() ? "the global default"
              : ErrorText.quote(key)) + " is configured twice");
        }
      }
    }
    return out;
  }

  private static String methodKey(Map<String, ?> name, String path) {
    String service = name.containsKey("service") ? asString(name.get("service"), path + ".service") : "";
    String method = name.containsKey("method") ? asString(name.get("method"), path + ".method") : "";
    if (service.isEmpty() && !method.isEmpty()) {
      throw new InvalidConfigException(path + ": method " + ErrorText.quote(method) + " without a service");
    }
    return service.isEmpty() ? "" : service + "/" + method;
  }

  private static Duration duration(Object value, String path) {
    String s = asString(value, path);
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new InvalidConfigException(path + ": " + ErrorText.quote(s)
          + " is not a duration (expected: like \"1.5s\")");
    }
    if (!m.group(1).isEmpty()) {
      throw new InvalidConfigException(path + ": " + ErrorText.quote(s) + " is negative (expected: >= 0s)");
    }
    String fraction = m.group(3) == null ? "" : m.group(3);
    long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "000000000").substring(0, 9));
    try {
      return Duration.ofSeconds(Long.parseLong(m.group(2)), nanos);
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(path + ": " + ErrorText.quote(s) + " is too long");
    }
  }

  private static int size(Object value, String path) {
    if (!(value instanceof Number) && !(value instanceof String)) {
      throw new InvalidConfigException(path + ": " + describe(value) + " (expected: a whole number >= 0)");
    }
    BigDecimal n;
    try {
      // int64 fields may be JSON strings.
      n = new BigDecimal(value.toString());
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(path + ": " + describe(value) + " is not a number");
    }
    if (n.signum() < 0 || n.stripTrailingZeros().scale() > 0) {
      throw new InvalidConfigException(path + ": " + describe(value) + " (expected: a whole number >= 0)");
    }
    return n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0 ? Integer.MAX_VALUE : n.intValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> asObject(Object value, String path) {
    if (!(value instanceof Map)) {
      throw new InvalidConfigException(path + ": " + describe(value) + " (expected: an object)");
    }
    return (Map<String, ?>) value;
  }

  private static List<?> asList(Object value, String path) {
    if (!(value instanceof List)) {
      throw new InvalidConfigException(path + ": " + describe(value) + " (expected: a list)");
    }
    return (List<?>) value;
  }

  private static String asString(Object value, String path) {
    if (!(value instanceof String)) {
      throw new InvalidConfigException(path + ": " + describe(value) + " (expected: a string)");
    }
    return (String) value;
  }

  private static boolean asBoolean(Object value, String path) {
    if (!(value instanceof Boolean)) {
      throw new InvalidConfigException(path + ": " + describe(value) + " (expected: true or false)");
    }
    return (Boolean) value;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return ErrorText.quote((String) value);
    }
    if (value instanceof Map || value instanceof List) {
      return value instanceof Map ? "an object" : "a list";
    }
    String text = String.valueOf(value);
    return text.length() <= ErrorText.MAX_QUOTED_CHARS ? text : ErrorText.quote(text);
  }

  /** Gives balancer parsers numbers as {@link Double}, as the BalancerProvider contract states. */
  private static List<Object> normalizeList(List<?> list) {
    List<Object> out = new ArrayList<>();
    for (Object e : list) {
      out.add(normalize(e));
    }
    return out;
  }

  private static Object normalize(Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, e) -> out.put(String.valueOf(k), normalize(e)));
      return out;
    }
    if (v instanceof List) {
      return normalizeList((List<?>) v);
    }
    return v;
  }

  private static ConfigOrError<ServiceConfig> error(String message) {
    return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("service config: " + message));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String message) {
      super(message, null, false, false);
    }
  }
}
