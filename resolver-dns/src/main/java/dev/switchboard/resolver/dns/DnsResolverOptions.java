package dev.switchboard.resolver.dns;

import dev.switchboard.channel.api.Attributes;
import java.time.Duration;

/**
 * Options of the {@code dns} resolver, passed as {@link
 * dev.switchboard.channel.api.resolver.ResolverArgs#attributes()} under the keys below. A key that
 * is absent takes its default.
 *
 * <pre>{@code
 * ResolverArgs args = ResolverArgs.newBuilder()
 *     ...
 *     .attributes(Attributes.newBuilder()
 *         .set(DnsResolverOptions.ENABLE_GRPCLB, true)
 *         .set(DnsResolverOptions.MIN_RESOLUTION_INTERVAL, Duration.ofSeconds(5))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>An option with a value out of range (a negative interval, a timeout that is not positive)
 * makes {@code newResolver} throw an {@link IllegalArgumentException} naming the option.
 *
 * <p>Immutable: only constants.
 *
 * @since 0.1
 */
public final class DnsResolverOptions {

  /**
   * Whether to look up SRV records {@code _grpclb._tcp.<host>} (gRFC A5) and hand the balancers
   * found to the channel under {@link
   * dev.switchboard.channel.api.resolver.ResolverState#GRPCLB_BALANCER_ADDRESSES}. Default: {@code
   * false}, as in grpc-java.
   */
  public static final Attributes.Key<Boolean> ENABLE_GRPCLB =
      Attributes.Key.create("switchboard.dns.enable-grpclb");

  /**
   * Whether to look up TXT records {@code _grpc_config.<host>} for a service config (gRFC A2).
   * Default: {@code true}.
   */
  public static final Attributes.Key<Boolean> ENABLE_SERVICE_CONFIG =
      Attributes.Key.create("switchboard.dns.enable-service-config");

  /**
   * The shortest time between the end of a successful resolution and the start of the next one; a
   * {@code resolveNow()} that comes sooner is deferred to the end of the interval. Zero disables the
   * limit. Default: {@link #DEFAULT_MIN_RESOLUTION_INTERVAL}.
   */
  public static final Attributes.Key<Duration> MIN_RESOLUTION_INTERVAL =
      Attributes.Key.create("switchboard.dns.min-resolution-interval");

  /**
   * How long one resolution (all its queries together) may take before it fails with {@code
   * UNAVAILABLE}; also the timeout of each DNS query. Must be positive. Default: {@link
   * #DEFAULT_QUERY_TIMEOUT}.
   */
  public static final Attributes.Key<Duration> QUERY_TIMEOUT =
      Attributes.Key.create("switchboard.dns.query-timeout");

  /** The default of {@link #MIN_RESOLUTION_INTERVAL}: 30 seconds, as in grpc-java and grpc-go. */
  public static final Duration DEFAULT_MIN_RESOLUTION_INTERVAL = Duration.ofSeconds(30);

  /** The default of {@link #QUERY_TIMEOUT}: 5 seconds. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);

  private DnsResolverOptions() {}
}
