package dev.switchboard.balancer.roundrobin.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import java.util.Map;

/**
 * Provides the {@code round_robin} policy.
 *
 * <p>The policy has no settings: {@link #parseConfig} accepts every JSON object, {@code {}}
 * included, as {@link RoundRobinConfig#INSTANCE}; fields this policy does not know are ignored, as
 * gRPC requires of load balancing configs.
 *
 * <p>Thread-safe: stateless; one instance serves every channel.
 *
 * @since 0.1
 */
public final class RoundRobinBalancerProvider implements BalancerProvider<RoundRobinConfig> {

  /** The policy name used in service configs. */
  static final String POLICY_NAME = "round_robin";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public RoundRobinBalancerProvider() {}

  @Override
  public String policyName() {
    return POLICY_NAME;
  }

  @Override
  public ConfigOrError<RoundRobinConfig> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
    return ConfigOrError.of(RoundRobinConfig.INSTANCE);
  }

  @Override
  public Balancer<RoundRobinConfig> newBalancer(ClientConn clientConn, BalancerArgs args) {
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    return new RoundRobinBalancer(clientConn);
  }

  @Override
  public String toString() {
    return "RoundRobinBalancerProvider{" + POLICY_NAME + "}";
  }
}
