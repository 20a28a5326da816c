package dev.switchboard.channel.core.internal.builtin;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import java.util.Map;

/**
 * The {@code pick_first} policy: one subconn over every address, in order. Config:
 * {@code {"shuffleAddressList": true|false}} (default false).
 *
 * <p>Immutable and thread-safe.
 */
public final class PickFirstBalancerProvider implements BalancerProvider<PickFirstConfig> {
  /** The policy name. */
  public static final String POLICY = "pick_first";

  /** Creates the provider (the service loader's constructor). */
  public PickFirstBalancerProvider() {}

  @Override
  public String policyName() {
    return POLICY;
  }

  @Override
  public Balancer<PickFirstConfig> newBalancer(ClientConn clientConn, BalancerArgs args) {
    return new PickFirstBalancer(clientConn);
  }

  @Override
  public ConfigOrError<PickFirstConfig> parseConfig(Map<String, ?> rawConfig,
      BalancerRegistry registry) {
    Object shuffle = rawConfig.get("shuffleAddressList");
    if (shuffle == null) {
      return ConfigOrError.of(PickFirstConfig.DEFAULT);
    }
    if (!(shuffle instanceof Boolean)) {
      return ConfigOrError.fromError(
          Status.INVALID_ARGUMENT.withDescription(
              "shuffleAddressList: " + shuffle + " (expected: true or false)"));
    }
    return ConfigOrError.of(new PickFirstConfig((Boolean) shuffle));
  }
}
