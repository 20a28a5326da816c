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
  void nullMessageSizeInTheDefaultServiceConfigIsAnIllegalArgumentNamingTheField() {
    for (String field : new String[] {"maxRequestMessageBytes", "maxResponseMessageBytes"}) {
      assertThatThrownBy(() -> builder("passthrough:///127.0.0.1:80")
          .defaultServiceConfig("{\"methodConfig\":[{\"name\":[{}],\"" + field + "\":null}]}").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("methodConfig[0]." + field + ": null");
    }
  }

  @Test
  void passthroughTakesOnlyAsciiDigitPortsInRangeAsDnsDoes() {
    for (String port : new String[] {"+80", "\u0661\u0662\u0663", "0", "65536", "", "0x50", "123456"}) {
      assertThatThrownBy(() -> builder("passthrough:///127.0.0.1:" + port).build())
          .as(port)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("port");
    }
    for (String ok : new String[] {"1", "65535", "00080"}) {
      builder("passthrough:///127.0.0.1:" + ok).build().shutdownNow();
    }
  }

  @Test
  void scopedIpv6LiteralsBuildOrFailWithAClearMessage() {
    // lo exists on every Linux machine; its index is 1.
    for (String target : new String[] {"passthrough:///[fe80::1%25lo]:1", "passthrough:///[fe80::1%lo]:80",
        "passthrough:///[fe80::1%1]:80", "[fe80::1%lo]:80", "passthrough:///[::1]:80"}) {
      builder(target).build().shutdownNow();
    }
    assertThatThrownBy(() -> builder("passthrough:///[fe80::1%no-such-nic0]:80").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IPv6 zone 'no-such-nic0' is no network interface of this machine");
    assertThatThrownBy(() -> builder("passthrough:///[fe80::1%]:80").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zone after '%' is empty");
  }

  @Test
  void hugeInputsAreQuotedCutToAReadableLength() {
    String huge = "x".repeat(10_000_000);
    assertThatThrownBy(() -> builder("passthrough:///127.0.0.1:80").defaultLoadBalancingPolicy(huge).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(10000000 characters)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
    assertThatThrownBy(() -> builder("passthrough:///" + huge).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(10000015 characters)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
    assertThatThrownBy(() -> builder(huge + "://a/b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
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
