package dev.switchboard.channel.core;

import static dev.switchboard.channel.core.TestSupport.addresses;
import static dev.switchboard.channel.core.TestSupport.startUnary;
import static dev.switchboard.channel.core.TestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The subconn state machine, driven through a test balancer that owns one subconn. */
class SubConnTest {
  private static final InetSocketAddress A = InMemoryTransportFactory.address(4001);
  private static final InetSocketAddress B = InMemoryTransportFactory.address(4002);

  private final TestBalancerProvider provider = new TestBalancerProvider("one_subconn");
  private final List<SubConnState> states = new CopyOnWriteArrayList<>();
  private final AtomicReference<SubConn> subConn = new AtomicReference<>();
  private TestSupport.TestResolverProvider.TestResolver resolver;

  /** Builds the channel; the balancer makes one subconn over all addresses, serving when READY. */
  private ManagedChannel start(ChannelFixture f, SocketAddress... addrs) {
    provider.onUpdate = (balancer, update) -> {
      if (subConn.get() == null) {
        SubConn[] self = {null};
        self[0] = balancer.conn.newSubConn(update.addresses(), SubConnOptions.of(s -> {
          states.add(s);
          balancer.conn.updateState(s.state(), s.state() == ConnectivityState.READY
              ? Picker.of(PickResult.withSubConn(self[0]))
              : Picker.of(PickResult.withNoResult()));
        }));
        subConn.set(self[0]);
        self[0].connect();
      }
      return Status.OK;
    };
    ManagedChannel channel =
        f.build(f.builder().balancerProvider(provider).defaultLoadBalancingPolicy("one_subconn"));
    channel.state(true);
    resolver = f.resolverProvider.awaitResolver();
    resolver.conn.updateState(state(addrs));
    return channel;
  }

  private ConnectivityState last() {
    return states.isEmpty() ? null : states.get(states.size() - 1).state();
  }

  private void awaitLast(ConnectivityState expected) {
    Await.until("subconn " + expected + " (states: " + states + ")", () -> last() == expected);
  }

  @Test
  void triesAddressesInOrderThenFailsWithTheLastErrorThenRetriesAfterBackoff() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      start(f, A, B); // neither has a server: both connects are refused

      awaitLast(ConnectivityState.TRANSIENT_FAILURE);
      assertThat(f.transport.transports).extracting(t -> t.address).containsExactly(A, B);
      assertThat(states).extracting(SubConnState::state)
          .containsExactly(ConnectivityState.CONNECTING, ConnectivityState.TRANSIENT_FAILURE);
      assertThat(last()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
      assertThat(states.get(1).status().description().orElse("")).contains(B.toString());

      f.transport.addServer(A);
      // Backoff: 1 s ± 20%, and nothing before.
      f.clock.forward(Duration.ofMillis(799));
      assertThat(f.transport.transports).hasSize(2);
      f.clock.forward(Duration.ofMillis(401));
      awaitLast(ConnectivityState.READY);
      assertThat(f.transport.transports).hasSize(3);
    }
  }

  @Test
  void readyNamesTheAddressTheConnectionWentTo() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(B); // A refuses: the subconn connects to B
      start(f, A, B);

      awaitLast(ConnectivityState.READY);

      assertThat(states.get(states.size() - 1).address()).hasValueSatisfying(
          a -> assertThat(a.socketAddress()).isEqualTo(B));
    }
  }

  @Test
  void backoffGrowsByOnePointSixUntilAConnectionSucceeds() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      start(f, A);
      awaitLast(ConnectivityState.TRANSIENT_FAILURE);
      assertThat(f.clock.pendingDelays()).singleElement()
          .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200)));

      f.clock.forwardToNextTask(); // the first retry, which fails again
      Await.until("second failure", () -> states.stream()
          .filter(s -> s.state() == ConnectivityState.TRANSIENT_FAILURE).count() == 2);

      assertThat(f.transport.transports).hasSize(2);
      assertThat(f.clock.pendingDelays()).singleElement()
          .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(1280), Duration.ofMillis(1920)));
      f.transport.addServer(A);
      f.clock.forwardToNextTask();
      awaitLast(ConnectivityState.READY);
      assertThat(f.transport.transports).hasSize(3);
    }
  }

  @Test
  void resetConnectBackoffReconnectsAtOnce() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = start(f, A);
      awaitLast(ConnectivityState.TRANSIENT_FAILURE);
      f.transport.addServer(A);

      channel.resetConnectBackoff();

      awaitLast(ConnectivityState.READY);
      Await.until("channel READY", () -> channel.state(false) == ConnectivityState.READY);
    }
  }

  @Test
  void connectAttemptTimesOutAfterTwentySeconds() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(A).connectMode = InMemoryTransportFactory.ConnectMode.HANG;
      start(f, A);
      awaitLast(ConnectivityState.CONNECTING);

      f.clock.forward(Duration.ofMillis(19_999));
      assertThat(last()).isEqualTo(ConnectivityState.CONNECTING);
      f.clock.forward(Duration.ofMillis(1));

      awaitLast(ConnectivityState.TRANSIENT_FAILURE);
      assertThat(states.get(states.size() - 1).status().description().orElse(""))
          .contains("timed out").contains(A.toString());
    }
  }

  @Test
  void lostReadyConnectionGoesIdleAndReResolves() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(A);
      start(f, A);
      awaitLast(ConnectivityState.READY);

      server.liveConnections().get(0).goAway();

      awaitLast(ConnectivityState.IDLE);
      Await.until("resolveNow", () -> resolver.resolveNowCount.get() >= 1);
    }
  }

  @Test
  void updateAddressesKeepsAConnectionWhoseAddressStays() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(A);
      f.transport.addServer(B);
      start(f, A);
      awaitLast(ConnectivityState.READY);

      subConn.get().updateAddresses(addresses(B, A));
      f.channel().resetConnectBackoff(); // a round trip through the synchronization context
      Await.until("update applied", () -> subConn.get().addresses().size() == 2);
      assertThat(f.transport.transports).hasSize(1);
      assertThat(server.liveConnections()).hasSize(1);
      assertThat(last()).isEqualTo(ConnectivityState.READY);

      subConn.get().updateAddresses(addresses(B));

      awaitLast(ConnectivityState.IDLE);
      Await.until("old connection closed", () -> server.liveConnections().isEmpty());
    }
  }

  @Test
  void shutdownLetsCallsInFlightFinish() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(A);
      server.onHalfClose = call -> {};
      ManagedChannel channel = start(f, A);
      awaitLast(ConnectivityState.READY);
      TestSupport.CallRecorder call = startUnary(channel, "x", CallOptions.DEFAULT);
      InMemoryTransportFactory.ServerCall serverCall = server.takeCall();

      subConn.get().shutdown();
      Await.until("connection stops taking streams", () -> server.liveConnections().isEmpty());
      assertThat(call.isClosed()).isFalse();
      serverCall.echo();

      assertThat(call.awaitClose().isOk()).isTrue();
      Await.until("transport terminated", () -> f.transport.transports.get(0).isTerminated());
    }
  }
}
