package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import java.util.Map;

class TestRoundRobinContractTest extends BalancerProviderContractTest<Map<String, ?>> {

  @Override
  protected BalancerProvider<Map<String, ?>> provider() {
    return new TestRoundRobinProvider(TestRoundRobinProvider.Flaw.NONE);
  }

  // Not a test here: the test-only provider is declared nowhere. PickFirstProviderContractTest
  // and ServiceDeclarationsTest cover the check.
  @Override
  public void providerIsDeclaredInModuleInfoAndServiceFiles() {}
}
