package dev.switchboard.channel.api.balancer;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.PluginOption;
import java.util.List;
import java.util.Map;

/**
 * Creates balancers for one policy; the JPMS service through which the channel finds load
 * balancing policies (grpc-go's {@code balancer.Builder}).
 *
 * <p>Declare an implementation with {@code provides dev.switchboard.channel.api.balancer.BalancerProvider
 * with …} in {@code module-info.java} and in {@code META-INF/services}. When several providers
 * serve one policy name, the available one with the highest {@link #priority()} wins.
 *
 * <h2>Typed configs</h2>
 *
 * <p>{@code C} is the type of the policy's parsed config: {@link #parseConfig} makes one from the
 * JSON object that stands under the policy's name in {@code loadBalancingConfig}, and the balancer
 * receives it in every {@link ClientConnState#balancerConfig()}, without a cast. When the policy is
 * the channel's default rather than chosen by a service config, the channel parses an empty object
 * ({@code {}}) for it, so a balancer always has a config. A policy without settings uses an empty
 * class of its own.
 *
 * <p>Thread-safe: one provider instance serves every channel.
 *
 * @param <C> the type of the parsed config
 * @since 0.1
 */
public interface BalancerProvider<C> {

  /** Returns the policy name used in service configs ({@code round_robin}). */
  String policyName();

  /** Returns the priority, 0 to 10; the highest available provider wins. Default: 5. */
  default int priority() {
    return 5;
  }

  /** Returns whether this provider can work in this runtime. Default: true. */
  default boolean isAvailable() {
    return true;
  }

  /**
   * Returns the options this provider reads from its {@code BalancerArgs}, so that tools can list
   * them and set them by name. Default: none.
   */
  default List<PluginOption<?>> options() {
    return List.of();
  }

  /**
   * Parses this policy's config: the JSON object that stands under the policy name in
   * {@code loadBalancingConfig}, as maps, lists, strings, numbers ({@link Double}) and booleans.
   * Never throws: a broken config is an error naming what is wrong. A parent policy parses its
   * children's configs through {@code registry} ({@link BalancerRegistry#parsePolicyList}).
   */
  ConfigOrError<C> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry);

  /** Creates a balancer that works through {@code clientConn}. */
  Balancer<C> newBalancer(ClientConn clientConn, BalancerArgs args);
}
