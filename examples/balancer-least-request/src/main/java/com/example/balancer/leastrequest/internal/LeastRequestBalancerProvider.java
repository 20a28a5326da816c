package com.example.balancer.leastrequest.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import java.util.Map;

/**
 * Provides the {@code least_request} policy. Config, as gRFC A48: {@code {"choiceCount": n}}, a
 * whole number of at least 2 (default 2); more than 10 is taken as 10. Other fields are ignored.
 *
 * <p>Thread-safe: stateless.
 */
public final class LeastRequestBalancerProvider implements BalancerProvider<LeastRequestConfig> {

  /** The policy name used in service configs. */
  public static final String POLICY = "least_request";

  /** The most choices a pick compares (gRFC A48). */
  static final int MAX_CHOICES = 10;

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public LeastRequestBalancerProvider() {}

  @Override
  public String policyName() {
    return POLICY;
  }

  @Override
  public ConfigOrError<LeastRequestConfig> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
    Object count = rawConfig.get("choiceCount");
    if (count == null) {
      return ConfigOrError.of(LeastRequestConfig.DEFAULT);
    }
    if (!(count instanceof Number) || ((Number) count).doubleValue() % 1 != 0
        || ((Number) count).doubleValue() < 2) {
      return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription(
          "choiceCount: " + count + " (expected: a whole number of at least 2)"));
    }
    return ConfigOrError.of(new LeastRequestConfig((int) Math.min(MAX_CHOICES, ((Number) count).doubleValue())));
  }

  @Override
  public Balancer<LeastRequestConfig> newBalancer(ClientConn clientConn, BalancerArgs args) {
    return new LeastRequestBalancer(requireNonNull(clientConn, "clientConn"));
  }
}
