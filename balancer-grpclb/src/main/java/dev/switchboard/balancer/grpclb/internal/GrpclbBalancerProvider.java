package dev.switchboard.balancer.grpclb.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import java.util.Map;

/**
 * Provides the {@code grpclb} policy. Its config is described in {@link GrpclbConfig}; the
 * behaviour in {@link GrpclbBalancer}.
 *
 * <p>Thread-safe: stateless; one instance serves every channel.
 *
 * @since 0.1
 */
public final class GrpclbBalancerProvider implements BalancerProvider<GrpclbConfig> {

  /** The policy name used in service configs. */
  static final String POLICY_NAME = "grpclb";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public GrpclbBalancerProvider() {}

  @Override
  public String policyName() {
    return POLICY_NAME;
  }

  @Override
  public ConfigOrError<GrpclbConfig> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
    requireNonNull(registry, "registry");
    return GrpclbConfig.parse(rawConfig, registry);
  }

  @Override
  public Balancer<GrpclbConfig> newBalancer(ClientConn clientConn, BalancerArgs args) {
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    return new GrpclbBalancer(clientConn, args);
  }

  @Override
  public String toString() {
    return "GrpclbBalancerProvider{" + POLICY_NAME + "}";
  }
}
