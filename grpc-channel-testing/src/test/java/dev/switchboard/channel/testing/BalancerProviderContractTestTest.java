package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import java.util.ArrayList;
import java.util.List;

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
  void resolverAttributesReachTheBalancerAndAfterUpdateRunsAfterEachUpdate() {
    Attributes.Key<String> key = Attributes.Key.create("contract-test-key");
    List<Object> seen = new ArrayList<>();
    BalancerProviderContractTest<Map<String, ?>> contract = new BalancerProviderContractTest<>() {
      @Override
      protected BalancerProvider<Map<String, ?>> provider() {
        TestRoundRobinProvider delegate = new TestRoundRobinProvider(Flaw.NONE);
        return new BalancerProvider<>() {
          @Override
          public String policyName() {
            return delegate.policyName();
          }

          @Override
          public ConfigOrError<Map<String, ?>> parseConfig(Map<String, ?> raw, BalancerRegistry registry) {
            return delegate.parseConfig(raw, registry);
          }

          @Override
          public Balancer<Map<String, ?>> newBalancer(ClientConn clientConn, BalancerArgs args) {
            Balancer<Map<String, ?>> balancer = delegate.newBalancer(clientConn, args);
            return new Balancer<>() {
              @Override
              public Status updateClientConnState(ClientConnState<Map<String, ?>> state) {
                seen.add(state.attributes().get(key).orElse("none"));
                return balancer.updateClientConnState(state);
              }

              @Override
              public void resolverError(Status error) {
                balancer.resolverError(error);
              }

              @Override
              public void close() {
                balancer.close();
              }
            };
          }
        };
      }

      @Override
      protected Attributes resolverAttributes() {
        return Attributes.newBuilder().set(key, "balancers").build();
      }

      @Override
      protected void afterUpdate() {
        seen.add("afterUpdate");
      }
    };
    contract.createBalancer();
    contract.emptyAddressListIsAnsweredWithStatusAndNoHangingPicker();
    contract.closeBalancerAndCheckThreading();

    assertThat(seen).containsExactly("balancers", "afterUpdate");
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
