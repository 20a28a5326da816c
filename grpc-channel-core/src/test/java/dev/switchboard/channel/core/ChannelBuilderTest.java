package dev.switchboard.channel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChannelBuilderTest {
  private final FakeClock clock = new FakeClock();

  private ChannelBuilder builder(String target) {
    return ChannelBuilder.forTarget(target)
        .pluginRegistry(TestSupport.builtinsOnly())
        .scheduler(clock.scheduler())
        .transportFactory(new InMemoryTransportFactory(clock.scheduler()));
  }

  @Test
  void schemeWithoutAResolverFailsNamingTheTargetAndTheAvailableSchemes() {
    assertThatThrownBy(() -> builder("zk://zk1:2181/services/orders").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zk://zk1:2181/services/orders")
        .hasMessageContaining("passthrough");
  }

  @Test
  void unknownDefaultPolicyFailsNamingItAndTheAvailablePolicies() {
    assertThatThrownBy(() -> builder("passthrough:///127.0.0.1:80").defaultLoadBalancingPolicy("nope").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'")
        .hasMessageContaining("pick_first");
  }

  @Test
  void invalidDefaultServiceConfigFailsNamingTheProblem() {
    assertThatThrownBy(() -> builder("passthrough:///127.0.0.1:80").defaultServiceConfig("{oops").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("default service config");
  }

  @Test
  void targetThatItsResolverFindsMalformedFailsConstructionNamingTheTarget() {
    assertThatThrownBy(() -> builder("passthrough:///127.0.0.1:99999").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target 'passthrough:///127.0.0.1:99999'")
        .hasMessageContaining("99999");
  }

  @Test
  void withoutATransportItBuildsOnNettyAndTerminates() throws Exception {
    ManagedChannel channel = ChannelBuilder.forTarget("passthrough:///127.0.0.1:80")
        .pluginRegistry(TestSupport.builtinsOnly()).usePlaintext().build();

    assertThat(channel.state(false)).isEqualTo(ConnectivityState.IDLE);
    channel.shutdownNow();
    assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void targetWithoutSchemeGetsPassthroughWhenThereIsNoDnsAndTheAuthorityIsTheEndpoint() throws Exception {
    ManagedChannel channel = builder("127.0.0.1:8080").build();
    try {
      assertThat(channel.authority()).isEqualTo("127.0.0.1:8080");
    } finally {
      channel.shutdownNow();
      assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void overriddenAuthorityReplacesTheOneDerivedFromTheTarget() throws Exception {
    ManagedChannel channel = builder("127.0.0.1:8080").overrideAuthority("api.example.com:443").build();
    try {
      assertThat(channel.authority()).isEqualTo("api.example.com:443");
    } finally {
      channel.shutdownNow();
      assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void emptyAuthorityOverrideIsRefused() {
    assertThatThrownBy(() -> builder("127.0.0.1:8080").overrideAuthority(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("authority: ''");
  }

  @Test
  void builderProvidersTakePrecedenceOverTheRegistry() throws Exception {
    TestSupport.TestResolverProvider resolvers = new TestSupport.TestResolverProvider();
    ManagedChannel channel = builder("test:///svc").resolverProvider(resolvers).build();
    try {
      channel.state(true);
      assertThat(resolvers.awaitResolver()).isNotNull();
    } finally {
      channel.shutdownNow();
      assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
