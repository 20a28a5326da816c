package dev.switchboard.resolver.consul.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.HostAndPort;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.resolver.consul.ConsulResolverOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Provides the {@code consul} scheme. The grammar, options and behaviour are documented on the
 * module and on {@link dev.switchboard.resolver.consul}.
 *
 * <p>Thread-safe: stateless; resolvers share long polls through {@link BlockingWatch}.
 */
public final class ConsulResolverProvider implements ResolverProvider {

  /** The scheme served. */
  public static final String SCHEME = "consul";

  static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private final Function<String, String> environment;

  /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
  public ConsulResolverProvider() {
    this(System::getenv);
  }

  /** For tests: where the {@code CONSUL_*} environment variables are read. */
  ConsulResolverProvider(Function<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public List<PluginOption<?>> options() {
    return ConsulResolverOptions.ALL;
  }

  @Override
  public void checkTarget(Target target) {
    ConsulTarget.parse(requireNonNull(target, "target"));
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    requireNonNull(target, "target");
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    ConsulTarget consul = ConsulTarget.parse(target);
    String where = "target " + ErrorText.quote(target.original());
    ConsulAgent agent = agent(consul, args, where);
    List<String> healthParameters = new ArrayList<>();
    for (String tag : consul.tags()) {
      healthParameters.add("tag=" + encode(tag));
    }
    consul.datacenter().ifPresent(dc -> healthParameters.add("dc=" + encode(dc)));
    BlockingWatch.Key health = new BlockingWatch.Key(agent, "/v1/health/service/" + encode(consul.service()),
        healthParameters, false);
    Optional<BlockingWatch.Key> config = Optional.empty();
    if (args.option(ConsulResolverOptions.SERVICE_CONFIG) && !args.serviceConfigIgnored()) {
      List<String> kvParameters = new ArrayList<>();
      consul.datacenter().ifPresent(dc -> kvParameters.add("dc=" + encode(dc)));
      String path;
      if (consul.hasDefaultConfigKey()) {
        // One watch of the whole folder serves every service of the agent: a long poll (one HTTP
        // connection, which Consul limits per client) per agent, not per service.
        path = "/v1/kv/" + ConsulTarget.DEFAULT_CONFIG_FOLDER;
        kvParameters.add(0, "recurse");
      } else {
        path = "/v1/kv/" + String.join("/", encodeSegments(consul.configKey()));
      }
      config = Optional.of(new BlockingWatch.Key(agent, path, kvParameters, true));
    }
    ConsulResolver resolver = new ConsulResolver(consul, clientConn,
        new InstanceMapper(args.option(ConsulResolverOptions.FALLBACK_TO_ALL)), health, config);
    resolver.start();
    return resolver;
  }

  /** The agent: the target's, else {@code CONSUL_HTTP_ADDR}, else 127.0.0.1:8500. */
  private ConsulAgent agent(ConsulTarget consul, ResolverArgs args, String where) {
    boolean https = args.option(ConsulResolverOptions.HTTPS)
        || "true".equalsIgnoreCase(env(ConsulResolverOptions.SSL_VARIABLE).orElse(""));
    HostAndPort address;
    if (consul.agent().isPresent()) {
      address = consul.agent().get();
    } else {
      String variable = env(ConsulResolverOptions.ADDRESS_VARIABLE).orElse("127.0.0.1:8500");
      String lower = variable.toLowerCase(Locale.ROOT);
      if (lower.startsWith("https://")) {
        https = true;
        variable = variable.substring("https://".length());
      } else if (lower.startsWith("http://")) {
        variable = variable.substring("http://".length());
      }
      if (variable.endsWith("/")) {
        variable = variable.substring(0, variable.length() - 1);
      }
      try {
        address = HostAndPort.parse(variable, ConsulTarget.DEFAULT_AGENT_PORT);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": environment variable " + ConsulResolverOptions.ADDRESS_VARIABLE
            + " is " + ErrorText.quote(variable) + ": " + e.getMessage(), e);
      }
    }
    Duration wait = args.option(ConsulResolverOptions.WAIT);
    if (wait.compareTo(Duration.ofSeconds(1)) < 0 || wait.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(where + ": option " + ConsulResolverOptions.WAIT + " is " + wait
          + " (expected: 1 s to 10 min, Consul's range)");
    }
    Optional<Path> caFile = nonEmpty(args.option(ConsulResolverOptions.CA_FILE))
        .or(() -> env(ConsulResolverOptions.CA_FILE_VARIABLE)).map(Path::of);
    if (caFile.isPresent() && !Files.isReadable(caFile.get())) {
      throw new IllegalArgumentException(where + ": CA file " + caFile.get() + " cannot be read");
    }
    return new ConsulAgent(https, address.host(), address.port(), caFile, token(args, where), wait);
  }

  /** The ACL token: option, option's file, {@code CONSUL_HTTP_TOKEN}, {@code CONSUL_HTTP_TOKEN_FILE}. */
  private Optional<String> token(ResolverArgs args, String where) {
    Optional<String> token = nonEmpty(args.option(ConsulResolverOptions.TOKEN));
    if (token.isPresent()) {
      return token;
    }
    Optional<String> file = nonEmpty(args.option(ConsulResolverOptions.TOKEN_FILE));
    String source = "option " + ConsulResolverOptions.TOKEN_FILE;
    if (file.isEmpty()) {
      token = env(ConsulResolverOptions.TOKEN_VARIABLE);
      if (token.isPresent()) {
        return token;
      }
      file = env(ConsulResolverOptions.TOKEN_FILE_VARIABLE);
      source = "environment variable " + ConsulResolverOptions.TOKEN_FILE_VARIABLE;
    }
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      String read = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
      if (read.isEmpty()) {
        throw new IllegalArgumentException(where + ": the token file of " + source + " (" + file.get() + ") is empty");
      }
      return Optional.of(read);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": the token file of " + source + " (" + file.get()
          + ") cannot be read: " + e.getMessage(), e);
    }
  }

  private Optional<String> env(String name) {
    return nonEmpty(environment.apply(name));
  }

  private static Optional<String> nonEmpty(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String[] encodeSegments(String key) {
    String[] segments = key.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      segments[i] = encode(segments[i]);
    }
    return segments;
  }
}
