package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.time.Duration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FakeBalancerClientConnTest {

  private static final Address A = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
  private static final Address B = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 2));

  private final FakeBalancerClientConn conn = FakeBalancerClientConn.create();

  private FakeSubConn newSubConn(List<Address> addresses, List<SubConnState> heard) {
    AtomicReference<SubConn> created = new AtomicReference<>();
    conn.runInContext(() -> created.set(conn.newSubConn(addresses, SubConnOptions.of(s -> {
      conn.synchronizationContext().throwIfNotInThisSynchronizationContext();
      heard.add(s);
    }))));
    return (FakeSubConn) created.get();
  }

  @Test
  void callsFromTheContextAreRecordedWithoutViolation() {
    List<SubConnState> heard = new ArrayList<>();
    FakeSubConn sc = newSubConn(List.of(A, B), heard);
    Picker picker = Picker.of(PickResult.withSubConn(sc));

    conn.runInContext(() -> {
      sc.connect();
      sc.connect();
      conn.updateState(ConnectivityState.READY, picker);
      conn.resolveNow();
    });

    assertThat(conn.subConns()).containsExactly(sc);
    assertThat(sc.addresses()).containsExactly(A, B);
    assertThat(sc.connectCount()).isEqualTo(2);
    assertThat(conn.updates()).containsExactly(new FakeBalancerClientConn.Update(ConnectivityState.READY, picker));
    assertThat(conn.lastPicker()).isSameAs(picker);
    assertThat(conn.resolveNowCount()).isEqualTo(1);
    conn.assertNoViolations();
  }

  @Test
  void callsFromOutsideTheContextAreViolations() {
    FakeSubConn sc = newSubConn(List.of(A), new ArrayList<>());

    conn.updateState(ConnectivityState.IDLE, Picker.of(PickResult.withNoResult()));
    sc.shutdown();

    assertThat(sc.isShutdown()).isTrue();
    assertThat(conn.liveSubConns()).isEmpty();
    assertThat(conn.violations()).hasSize(2);
    assertThatThrownBy(conn::assertNoViolations)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("updateState(IDLE) called outside the synchronization context")
        .hasMessageContaining("SubConn.shutdown() of FakeSubConn#0");
  }

  @Test
  void emptyAddressListIsRefusedAndRecorded() {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    conn.runInContext(() -> {
      try {
        conn.newSubConn(List.of(), SubConnOptions.of(s -> {}));
      } catch (IllegalArgumentException e) {
        thrown.set(e);
      }
    });

    assertThat(thrown.get()).hasMessageContaining("empty");
    assertThat(conn.violations()).containsExactly("newSubConn() with an empty address list");
  }

  @Test
  void taskThatThrowsOnTheContextIsAViolation() {
    conn.runInContext(() -> {
      throw new IllegalStateException("balancer bug");
    });

    assertThat(conn.violations()).singleElement().asString().contains("balancer bug");
    assertThatThrownBy(conn::assertNoViolations)
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement().asString().contains("balancer bug"));
  }

  @Test
  void deliveredStatesReachTheListenerOnTheContextInOrder() {
    List<SubConnState> heard = new ArrayList<>();
    FakeSubConn sc = newSubConn(List.of(A), heard);
    SubConnState failure = SubConnState.forTransientFailure(Status.UNAVAILABLE);

    sc.deliverState(SubConnState.of(ConnectivityState.CONNECTING));
    sc.deliverState(failure);

    assertThat(heard).containsExactly(SubConnState.of(ConnectivityState.CONNECTING), failure);
    assertThat(sc.lastDeliveredState()).contains(failure);
    conn.assertNoViolations();
  }

  @Test
  void nothingIsDeliveredToASubConnTheBalancerShutDown() {
    List<SubConnState> heard = new ArrayList<>();
    FakeSubConn sc = newSubConn(List.of(A), heard);
    conn.runInContext(sc::shutdown);

    sc.deliverState(SubConnState.of(ConnectivityState.READY));

    assertThat(heard).isEmpty();
    assertThat(sc.lastDeliveredState()).isEmpty();
  }

  @Test
  void pickSpreadCountsPicksPerSubConn() {
    FakeSubConn a = newSubConn(List.of(A), new ArrayList<>());
    FakeSubConn b = newSubConn(List.of(B), new ArrayList<>());
    List<PickResult> results = List.of(
        PickResult.withSubConn(a), PickResult.withSubConn(b), PickResult.withSubConn(a),
        PickResult.withError(Status.UNAVAILABLE));
    AtomicInteger next = new AtomicInteger();
    Picker picker = info -> results.get(next.getAndIncrement() % results.size());

    Map<SubConn, Integer> spread = FakeBalancerClientConn.pickSpread(picker, 8);

    assertThat(spread).containsEntry(a, 4).containsEntry(b, 2).containsEntry(null, 2);
  }

  @Test
  void schedulerIsAManualClockUnlessOneIsGiven() {
    assertThat(conn.clock()).containsSame((ManualClock) conn.scheduler());
    AtomicInteger ran = new AtomicInteger();
    conn.synchronizationContext().schedule(ran::incrementAndGet, 1, TimeUnit.SECONDS, conn.scheduler());

    conn.clock().orElseThrow().forwardTime(1, TimeUnit.SECONDS);

    assertThat(ran).hasValue(1);
    ManualClock own = ManualClock.create();
    FakeBalancerClientConn withOwn = FakeBalancerClientConn.newBuilder().scheduler(own).build();
    assertThat(withOwn.scheduler()).isSameAs(own);
    assertThat(withOwn.clock()).isEmpty();
  }

  @Test
  void oobChannelsAreRealChannelsToATestBackendAndAreListed() throws Exception {
    TestBackend backend = TestBackend.newBuilder().name("lb").build().start();
    try {
      AtomicReference<ManagedChannel> byAddress = new AtomicReference<>();
      AtomicReference<ManagedChannel> byTarget = new AtomicReference<>();
      conn.runInContext(() -> {
        byAddress.set(conn.createOobChannel(List.of(Address.of(backend.address())), "lb.example"));
        byTarget.set(conn.createResolvingOobChannel("passthrough:///127.0.0.1:" + backend.port()));
      });
      for (ManagedChannel channel : List.of(byAddress.get(), byTarget.get())) {
        TestMethods.EchoResponse response = ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO,
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)), TestMethods.EchoRequest.of("hi"));
        assertThat(response.backend()).isEqualTo("lb");
      }
      assertThat(byAddress.get().authority()).isEqualTo("lb.example");
      assertThat(conn.oobChannels()).containsExactly(byAddress.get(), byTarget.get());
      conn.oobChannels().forEach(ManagedChannel::shutdownNow);
    } finally {
      backend.close();
    }
    conn.assertNoViolations();
  }

  @Test
  void oobChannelsOpenedOffTheContextAreAViolation() {
    conn.createResolvingOobChannel("passthrough:///127.0.0.1:1").shutdownNow();
    assertThat(conn.violations()).singleElement().asString().contains("createResolvingOobChannel");
  }

  @Test
  void finishCallAndAbandonPickEndPicksAsTheChannelWould() {
    List<Object> heard = new ArrayList<>();
    PickListener listener = new PickListener() {
      @Override
      public void onStarted() {
        heard.add("started");
      }

      @Override
      public void onDone(DoneInfo info) {
        heard.add(info);
      }
    };
    AtomicReference<SubConn> subConn = new AtomicReference<>();
    conn.runInContext(() -> subConn.set(conn.newSubConn(List.of(A), SubConnOptions.of(s -> {}))));
    PickResult picked = PickResult.withSubConn(subConn.get(), listener);

    FakeBalancerClientConn.finishCall(picked, Status.OK);
    FakeBalancerClientConn.abandonPick(picked, Status.UNAVAILABLE.withDescription("not READY"));

    assertThat(heard).hasSize(3);
    assertThat(heard.get(0)).isEqualTo("started");
    assertThat(heard.get(1)).isInstanceOfSatisfying(DoneInfo.class, d -> {
      assertThat(d.started()).isTrue();
      assertThat(d.sentToServer()).isTrue();
      assertThat(d.status()).isEqualTo(Status.OK);
    });
    assertThat(heard.get(2)).isInstanceOfSatisfying(DoneInfo.class, d -> assertThat(d.started()).isFalse());
    assertThatThrownBy(() -> FakeBalancerClientConn.finishCall(PickResult.withNoResult(), Status.OK))
        .isInstanceOf(AssertionError.class).hasMessageContaining("expected: a subconn");
  }

  @Test
  void theBalancerRegistryIsTheBootLayersUnlessGiven() {
    assertThat(conn.balancerRegistry().provider("pick_first")).isPresent();
    PluginRegistry none = PluginRegistry.newBuilder().build();
    assertThat(FakeBalancerClientConn.newBuilder().balancerRegistry(none).build().balancerRegistry()).isSameAs(none);
  }
}
