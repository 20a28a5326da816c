package dev.switchboard.resolver.dns;

import dev.switchboard.channel.api.PluginOption;
import java.time.Duration;
import java.util.List;

/**
 * Options of the {@code dns} resolver. Set them on the channel, and the channel hands them to the
 * resolver in its {@link dev.switchboard.channel.api.resolver.ResolverArgs}; an option not set
 * takes its default:
 *
 * <pre>{@code
 * ManagedChannel channel = ChannelBuilder.forTarget("dns:///orders.example.com:443")
 *     .resolverOption(DnsResolverOptions.ENABLE_GRPCLB, true)
 *     .resolverOption(DnsResolverOptions.MIN_RESOLUTION_INTERVAL, Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <p>From the {@code switchboard} CLI, by name: {@code --resolver-option dns.enable-grpclb=true},
 * {@code --resolver-option dns.min-resolution-interval=5s}.
 *
 * <p>An option with a value out of range (a negative interval, a timeout that is not positive)
 * makes {@code newResolver} throw an {@link IllegalArgumentException} naming the option.
 *
 * <p>Immutable: only constants.
 *
 * @since 0.1
 */
public final class DnsResolverOptions {

  /** The default of {@link #MIN_RESOLUTION_INTERVAL}: 30 seconds, as in grpc-java and grpc-go. */
  public static final Duration DEFAULT_MIN_RESOLUTION_INTERVAL = Duration.ofSeconds(30);

  /** The default of {@link #QUERY_TIMEOUT}: 5 seconds. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);

  /**
   * {@code dns.enable-grpclb}: whether to look up SRV records {@code _grpclb._tcp.<host>} (gRFC A5)
   * and hand the balancers found to the channel under {@link
   * dev.switchboard.channel.api.resolver.ResolverState#GRPCLB_BALANCER_ADDRESSES}. Default: {@code
   * false}, as in grpc-java.
   */
  public static final PluginOption<Boolean> ENABLE_GRPCLB = PluginOption.ofBoolean("dns.enable-grpclb", false);

  /**
   * {@code dns.enable-service-config}: whether to look up TXT records {@code _grpc_config.<host>}
   * for a service config (gRFC A2). Default: {@code true}; a channel that ignores resolver service
   * configs never looks them up, whatever this says.
   */
  public static final PluginOption<Boolean> ENABLE_SERVICE_CONFIG =
      PluginOption.ofBoolean("dns.enable-service-config", true);

  /**
   * {@code dns.min-resolution-interval}: the shortest time between the end of a successful
   * resolution and the start of the next one; a {@code resolveNow()} that comes sooner is deferred
   * to the end of the interval. Zero disables the limit. Default: {@link
   * #DEFAULT_MIN_RESOLUTION_INTERVAL}.
   */
  public static final PluginOption<Duration> MIN_RESOLUTION_INTERVAL =
      PluginOption.ofDuration("dns.min-resolution-interval", DEFAULT_MIN_RESOLUTION_INTERVAL);

  /**
   * {@code dns.query-timeout}: how long one resolution (all its queries together) may take before
   * it fails with {@code UNAVAILABLE}; also the timeout of each DNS query. Must be positive.
   * Default: {@link #DEFAULT_QUERY_TIMEOUT}.
   */
  public static final PluginOption<Duration> QUERY_TIMEOUT =
      PluginOption.ofDuration("dns.query-timeout", DEFAULT_QUERY_TIMEOUT);

  /** Every option above, as {@code ResolverProvider.options()} lists them. */
  public static final List<PluginOption<?>> ALL =
      List.of(ENABLE_GRPCLB, ENABLE_SERVICE_CONFIG, MIN_RESOLUTION_INTERVAL, QUERY_TIMEOUT);

  private DnsResolverOptions() {}
}
