package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.core.PluginRegistry;

/** Core's built-in {@code pick_first} balancer meets the balancer contract (core cannot depend on the kit). */
class PickFirstProviderContractTest extends BalancerProviderContractTest<Object> {

  @Override
  @SuppressWarnings("unchecked") // its config type is core's, not exported: Object is all the test needs
  protected BalancerProvider<Object> provider() {
    return (BalancerProvider<Object>) PluginRegistry.loadDefault().balancerProvider("pick_first")
        .orElseThrow(() -> new AssertionError("core provides no 'pick_first' balancer"));
  }
}
