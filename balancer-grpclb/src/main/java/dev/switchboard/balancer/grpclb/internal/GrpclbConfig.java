package dev.switchboard.balancer.grpclb.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed config of {@code grpclb}: the service name sent in {@code initial_request}, the child
 * policy run over the balancer's servers, and the fallback timeout.
 *
 * <p>Fields, as grpc-java's {@code GrpclbLoadBalancerProvider} reads them; unknown fields are
 * ignored:
 *
 * <ul>
 *   <li>{@code serviceName} (string): the name asked of the balancer. Default: the channel's
 *       authority.
 *   <li>{@code childPolicy} (a {@code loadBalancingConfig}-style list): the first entry naming
 *       {@code round_robin} or {@code pick_first} (the two the protocol's server-list order is
 *       defined for, as in grpc-java and grpc-go) that the channel has; other names are skipped.
 *       Default: {@code round_robin}.
 *   <li>{@code initialFallbackTimeout} (a JSON duration string, {@code "10s"}, {@code "2.5s"}): how
 *       long to wait for a first server list before using the resolver's backends. Default: 10 s.
 * </ul>
 *
 * <p>Immutable.
 */
public final class GrpclbConfig {

  /** The fallback timeout when the config gives none: 10 s, as grpc-java and grpc-go. */
  static final Duration DEFAULT_FALLBACK_TIMEOUT = Duration.ofSeconds(10);

  /** The child policies grpclb runs. */
  static final Set<String> CHILD_POLICIES = Set.of("round_robin", "pick_first");

  private final String serviceName;
  private final ChildPolicy<?> childPolicy;
  private final Duration fallbackTimeout;

  private GrpclbConfig(String serviceName, ChildPolicy<?> childPolicy, Duration fallbackTimeout) {
    this.serviceName = serviceName;
    this.childPolicy = requireNonNull(childPolicy, "childPolicy");
    this.fallbackTimeout = requireNonNull(fallbackTimeout, "fallbackTimeout");
  }

  /** Returns the service name to ask the balancer for, if the config names one. */
  Optional<String> serviceName() {
    return Optional.ofNullable(serviceName);
  }

  /** Returns the child policy with its parsed config. */
  ChildPolicy<?> childPolicy() {
    return childPolicy;
  }

  /** Returns the time to wait for a first server list before falling back. */
  Duration fallbackTimeout() {
    return fallbackTimeout;
  }

  /**
   * Parses the JSON object under {@code "grpclb"}; never throws. Errors are {@code
   * INVALID_ARGUMENT} naming the field.
   */
  static ConfigOrError<GrpclbConfig> parse(Map<String, ?> raw, BalancerRegistry registry) {
    if (raw == null) {
      return invalid("config: null (expected: an object)");
    }
    Object name = raw.get("serviceName");
    if (name != null && !(name instanceof String)) {
      return invalid("serviceName: " + describe(name) + " (expected: a string)");
    }
    if (name != null && ((String) name).isEmpty()) {
      return invalid("serviceName: '' (expected: a non-empty string)");
    }
    Duration timeout = DEFAULT_FALLBACK_TIMEOUT;
    Object rawTimeout = raw.get("initialFallbackTimeout");
    if (rawTimeout != null) {
      Optional<Duration> parsed = rawTimeout instanceof String ? parseDuration((String) rawTimeout) : Optional.empty();
      if (parsed.isEmpty()) {
        return invalid("initialFallbackTimeout: " + describe(rawTimeout)
            + " (expected: a duration string such as \"10s\" or \"0.5s\", not negative)");
      }
      timeout = parsed.get();
    }
    Object rawChildren = raw.get("childPolicy");
    List<Object> children = new ArrayList<>();
    if (rawChildren != null) {
      if (!(rawChildren instanceof List)) {
        return invalid("childPolicy: " + describe(rawChildren) + " (expected: a list such as [{\"round_robin\":{}}])");
      }
      List<?> list = (List<?>) rawChildren;
      for (int i = 0; i < list.size(); i++) {
        Object entry = list.get(i);
        if (!(entry instanceof Map) || ((Map<?, ?>) entry).size() != 1) {
          return invalid("childPolicy[" + i + "]: " + describe(entry)
              + " (expected: an object with one field, the policy name)");
        }
        Object policy = ((Map<?, ?>) entry).keySet().iterator().next();
        if (CHILD_POLICIES.contains(policy)) {
          children.add(entry);
        }
      }
      if (children.isEmpty() && !list.isEmpty()) {
        return invalid("childPolicy: " + ErrorText.cut(String.valueOf(list))
            + " names no policy grpclb runs (expected: round_robin or pick_first)");
      }
    }
    if (children.isEmpty()) {
      children.add(Map.of("round_robin", Map.of()));
    }
    ConfigOrError<ChildPolicy<?>> child = registry.parsePolicyList(children);
    if (!child.isOk()) {
      return invalid("childPolicy: " + child.status().description().orElse(child.status().code().name()));
    }
    return ConfigOrError.of(new GrpclbConfig((String) name, child.config().orElseThrow(), timeout));
  }

  /** Parses a protobuf JSON duration ("10s", "1.5s"); empty if malformed or negative. */
  static Optional<Duration> parseDuration(String text) {
    if (text.length() < 2 || !text.endsWith("s")) {
      return Optional.empty();
    }
    try {
      BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
      if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(315_576_000_000L)) > 0) {
        return Optional.empty();
      }
      BigDecimal nanos = seconds.movePointRight(9);
      return Optional.of(Duration.ofNanos(nanos.longValue()));
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  private static String describe(Object value) {
    return value instanceof String ? ErrorText.quote((String) value) : ErrorText.cut(String.valueOf(value));
  }

  private static ConfigOrError<GrpclbConfig> invalid(String message) {
    return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("grpclb: " + message));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GrpclbConfig)) {
      return false;
    }
    GrpclbConfig other = (GrpclbConfig) o;
    return Objects.equals(serviceName, other.serviceName) && childPolicy.equals(other.childPolicy)
        && fallbackTimeout.equals(other.fallbackTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serviceName, childPolicy, fallbackTimeout);
  }

  @Override
  public String toString() {
    return "GrpclbConfig{serviceName=" + serviceName + ", childPolicy=" + childPolicy
        + ", fallbackTimeout=" + fallbackTimeout + "}";
  }
}
