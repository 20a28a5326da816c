package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.core.PluginRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** Core's built-in {@code pick_first} balancer meets the balancer contract (core cannot depend on the kit). */
class PickFirstProviderContractTest extends BalancerProviderContractTest {

  // TEMPORARY gate: core's built-in providers land with the channel branch; until then every test
  // here is reported as skipped, not failed. Delete this method once they are on main.
  @BeforeAll
  static void builtInProviderIsOnMain() {
    Assumptions.assumeTrue(PluginRegistry.loadDefault().balancerProvider("pick_first").isPresent(),
        "core has no 'pick_first' balancer yet: it lands with the channel runtime");
  }


  @Override
  protected BalancerProvider provider() {
    return PluginRegistry.loadDefault().balancerProvider("pick_first")
        .orElseThrow(() -> new AssertionError("core provides no 'pick_first' balancer"));
  }
}
