package dev.switchboard.balancer.roundrobin.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ClientConn;

/**
 * Provides the {@code round_robin} policy.
 *
 * <p>The policy has no options. {@link #parseConfig} keeps the default: every JSON object,
 * {@code {}} included, is accepted as it is, and fields this policy does not know are ignored, as
 * gRPC requires of load balancing configs.
 *
 * <p>Thread-safe: stateless; one instance serves every channel.
 *
 * @since 0.1
 */
public final class RoundRobinBalancerProvider implements BalancerProvider {

  /** The policy name used in service configs. */
  static final String POLICY_NAME = "round_robin";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public RoundRobinBalancerProvider() {}

  @Override
  public String policyName() {
    return POLICY_NAME;
  }

  @Override
  public Balancer newBalancer(ClientConn clientConn, BalancerArgs args) {
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    return new RoundRobinBalancer(clientConn);
  }

  @Override
  public String toString() {
    return "RoundRobinBalancerProvider{" + POLICY_NAME + "}";
  }
}
