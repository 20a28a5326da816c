package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.testing.TestRoundRobinProvider.Flaw;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The balancer contract test catches a balancer that breaks one of its rules. */
class BalancerProviderContractTestTest {

  private static BalancerProviderContractTest<Map<String, ?>> contractFor(Flaw flaw) {
    BalancerProviderContractTest<Map<String, ?>> contract = new BalancerProviderContractTest<>() {
      @Override
      protected BalancerProvider<Map<String, ?>> provider() {
        return new TestRoundRobinProvider(flaw);
      }
    };
    contract.createBalancer();
    return contract;
  }

  @Test
  void balancerIgnoringResolverErrorFailsTheContract() {
    BalancerProviderContractTest<Map<String, ?>> contract = contractFor(Flaw.IGNORES_RESOLVER_ERROR);

    assertThatThrownBy(contract::resolverErrorBeforeUpdateFailsPicksWithThatError)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("resolverError");
  }

  @Test
  void balancerLeakingSubConnsOnCloseFailsTheContract() {
    BalancerProviderContractTest<Map<String, ?>> contract = contractFor(Flaw.LEAKS_SUBCONNS_ON_CLOSE);

    assertThatThrownBy(contract::closeShutsDownEverySubConn)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not shut down by close()");
  }

  @Test
  void balancerPublishingOffTheContextFailsTheContract() {
    BalancerProviderContractTest<Map<String, ?>> contract = contractFor(Flaw.PUBLISHES_OFF_CONTEXT);
    contract.threeAddressesGiveReadyPickerOnReadySubConns();

    assertThatThrownBy(contract::closeBalancerAndCheckThreading)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("updateState(READY) called outside the synchronization context");
  }

  @Test
  void balancerThrowingOnEmptyAddressesFailsTheContract() {
    BalancerProviderContractTest<Map<String, ?>> contract = contractFor(Flaw.THROWS_ON_EMPTY);

    assertThatThrownBy(contract::emptyAddressListIsAnsweredWithStatusAndNoHangingPicker)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("threw java.lang.IllegalArgumentException: no addresses");
  }

  @Test
  void undeclaredProviderFailsTheDeclarationCheck() {
    BalancerProviderContractTest<Map<String, ?>> contract = contractFor(Flaw.NONE);

    assertThatThrownBy(contract::providerIsDeclaredInModuleInfoAndServiceFiles)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("module-info");
  }
}
