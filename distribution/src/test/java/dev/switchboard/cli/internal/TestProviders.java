package dev.switchboard.cli.internal;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import java.util.Map;

/** Providers that only describe themselves, for the tables and checks of the CLI. */
final class TestProviders {
  private TestProviders() {}

  static ResolverProvider resolver(String scheme, int priority, boolean available) {
    return new ResolverProvider() {
      @Override
      public String scheme() {
        return scheme;
      }

      @Override
      public int priority() {
        return priority;
      }

      @Override
      public boolean isAvailable() {
        return available;
      }

      @Override
      public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
        throw new UnsupportedOperationException("describes itself only");
      }
    };
  }

  static BalancerProvider<Object> balancer(String policy) {
    return new BalancerProvider<>() {
      @Override
      public String policyName() {
        return policy;
      }

      @Override
      public ConfigOrError<Object> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
        throw new UnsupportedOperationException("describes itself only");
      }

      @Override
      public Balancer<Object> newBalancer(
          dev.switchboard.channel.api.balancer.ClientConn clientConn, BalancerArgs args) {
        throw new UnsupportedOperationException("describes itself only");
      }
    };
  }
}
