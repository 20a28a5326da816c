package dev.switchboard.channel.core;

import static dev.switchboard.channel.core.TestSupport.addresses;
import static dev.switchboard.channel.core.TestSupport.startUnary;
import static dev.switchboard.channel.core.TestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OobAndFailureTest {
  private static final InetSocketAddress SERVER = InMemoryTransportFactory.address(7001);
  private static final InetSocketAddress LB = InMemoryTransportFactory.address(7002);

  @Test
  void outOfBandChannelReachesFixedAddressesWithItsAuthorityAndEndsWithItsParent() throws Exception {
    TestBalancerProvider provider = new TestBalancerProvider("lookaside");
    AtomicReference<ManagedChannel> oob = new AtomicReference<>();
    provider.onUpdate = (balancer, update) -> {
      oob.compareAndSet(null, balancer.conn.createOobChannel(addresses(LB), "lb.example"));
      return Status.OK;
    };
    ChannelFixture f = new ChannelFixture();
    f.transport.addServer(LB);
    f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
    ManagedChannel parent = f.build(f.builder().balancerProvider(provider).defaultLoadBalancingPolicy("lookaside"));
    parent.state(true);
    Await.until("oob channel", () -> oob.get() != null);

    assertThat(startUnary(oob.get(), "to lb", CallOptions.DEFAULT).awaitClose().isOk()).isTrue();
    assertThat(f.transport.transports).singleElement()
        .satisfies(t -> assertThat(t.options.authority()).isEqualTo("lb.example"));
    assertThat(oob.get().authority()).isEqualTo("lb.example");

    parent.shutdown();
    assertThat(parent.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(oob.get().isTerminated()).isTrue();
  }

  @Test
  void resolvingOutOfBandChannelUsesItsOwnResolver() throws Exception {
    TestBalancerProvider provider = new TestBalancerProvider("lookaside");
    AtomicReference<ManagedChannel> oob = new AtomicReference<>();
    AtomicReference<Throwable> bad = new AtomicReference<>();
    provider.onUpdate = (balancer, update) -> {
      if (oob.get() == null) {
        oob.set(balancer.conn.createResolvingOobChannel("passthrough:///" + LB.getAddress().getHostAddress()
            + ":" + LB.getPort()));
        try {
          balancer.conn.createResolvingOobChannel("nosuch://x/y");
        } catch (IllegalArgumentException e) {
          bad.set(e);
        }
      }
      return Status.OK;
    };
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(LB);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      f.build(f.builder().balancerProvider(provider).defaultLoadBalancingPolicy("lookaside")).state(true);
      Await.until("oob channel", () -> oob.get() != null);

      assertThat(startUnary(oob.get(), "to lb", CallOptions.DEFAULT).awaitClose().isOk()).isTrue();
      assertThat(bad.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nosuch");
    }
  }

  @Test
  void exceptionInTheSynchronizationContextFailsCallsInternalNamingTheCause() throws Exception {
    TestBalancerProvider provider = new TestBalancerProvider("careless");
    try (ChannelFixture f = new ChannelFixture()) {
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel =
          f.build(f.builder().balancerProvider(provider).defaultLoadBalancingPolicy("careless"));
      channel.state(true);
      TestBalancerProvider.TestBalancer balancer = provider.awaitBalancer(0);

      balancer.conn.synchronizationContext().execute(() -> {
        throw new IllegalStateException("task blew up");
      });

      Status status = startUnary(channel, "x", CallOptions.DEFAULT).awaitClose();
      assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
      assertThat(status.description().orElse("")).contains("task blew up");
      assertThat(channel.state(false)).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    }
  }

  @Test
  void newSubConnWithoutAddressesIsRejected() throws Exception {
    TestBalancerProvider provider = new TestBalancerProvider("empty_subconn");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    provider.onUpdate = (balancer, update) -> {
      try {
        balancer.conn.newSubConn(java.util.List.of(),
            dev.switchboard.channel.api.balancer.SubConnOptions.of(s -> {}));
      } catch (IllegalArgumentException e) {
        thrown.set(e);
      }
      return Status.OK;
    };
    try (ChannelFixture f = new ChannelFixture()) {
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      f.build(f.builder().balancerProvider(provider).defaultLoadBalancingPolicy("empty_subconn")).state(true);
      Await.until("update", () -> thrown.get() != null);
      assertThat(thrown.get()).hasMessageContaining("expected: at least one address");
    }
    assertThatThrownBy(() -> {
      throw thrown.get();
    }).isInstanceOf(IllegalArgumentException.class);
  }
}
