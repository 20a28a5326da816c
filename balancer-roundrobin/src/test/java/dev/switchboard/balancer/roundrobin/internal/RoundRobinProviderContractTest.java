package dev.switchboard.balancer.roundrobin.internal;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.testing.BalancerProviderContractTest;

class RoundRobinProviderContractTest extends BalancerProviderContractTest<RoundRobinConfig> {

  @Override
  protected BalancerProvider<RoundRobinConfig> provider() {
    return new RoundRobinBalancerProvider();
  }
}
