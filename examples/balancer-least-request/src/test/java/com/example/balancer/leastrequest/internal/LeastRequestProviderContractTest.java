package com.example.balancer.leastrequest.internal;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.testing.BalancerProviderContractTest;

/** The contract every balancer provider meets, from the testing kit. */
class LeastRequestProviderContractTest extends BalancerProviderContractTest<LeastRequestConfig> {

  @Override
  protected BalancerProvider<LeastRequestConfig> provider() {
    return new LeastRequestBalancerProvider();
  }
}
