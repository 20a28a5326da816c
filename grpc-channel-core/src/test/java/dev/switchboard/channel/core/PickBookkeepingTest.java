package dev.switchboard.channel.core;

import static dev.switchboard.channel.core.TestSupport.startUnary;
import static dev.switchboard.channel.core.TestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Per-pick bookkeeping and callback order, on the in-memory transport. */
class PickBookkeepingTest {
  private static final InetSocketAddress SERVER = InMemoryTransportFactory.address(3101);
  private static final Metadata.Key<String> LB_TOKEN =
      Metadata.Key.of("lb-token", Metadata.ASCII_STRING_MARSHALLER);

  private final TestBalancerProvider policy = new TestBalancerProvider("policy_a");
  private InMemoryTransportFactory.FakeServer server;

  /** Records what a pick listener hears, in order. */
  private static final class Recording implements PickListener {
    final List<Object> events = new CopyOnWriteArrayList<>();

    @Override
    public void onStarted() {
      events.add("started");
    }

    @Override
    public void onDone(DoneInfo info) {
      events.add(info);
    }
  }

  private TestBalancerProvider.TestBalancer start(ChannelFixture f) {
    server = f.transport.addServer(SERVER);
    ManagedChannel channel = f.build(f.builder().balancerProvider(policy).defaultLoadBalancingPolicy("policy_a"));
    channel.state(true);
    f.resolverProvider.awaitResolver().conn.updateState(state(SERVER));
    return policy.awaitBalancer(0);
  }

  /** Creates a subconn, connects it and returns it once it is READY. */
  private static SubConn newReadySubConn(TestBalancerProvider.TestBalancer balancer) throws Exception {
    List<SubConnState> states = new CopyOnWriteArrayList<>();
    SubConn subConn = newSubConn(balancer, true, states);
    Await.until("subconn READY", () -> states.stream().anyMatch(s -> s.state() == ConnectivityState.READY));
    return subConn;
  }

  /** Creates a subconn on the synchronization context, connected or not, and returns it. */
  private static SubConn newSubConn(TestBalancerProvider.TestBalancer balancer, boolean connect,
      List<SubConnState> states) throws Exception {
    CompletableFuture<SubConn> created = new CompletableFuture<>();
    balancer.conn.synchronizationContext().execute(() -> {
      SubConn subConn = balancer.conn.newSubConn(List.of(Address.of(SERVER)), SubConnOptions.of(states::add));
      if (connect) {
        subConn.connect();
      }
      created.complete(subConn);
    });
    return created.get(10, TimeUnit.SECONDS);
  }

  @Test
  void pickOfASubConnNotReadyIsReportedUnusedAndTheNextPickStartsFromTheCallsOwnHeaders() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      TestBalancerProvider.TestBalancer balancer = start(f);
      SubConn ready = newReadySubConn(balancer);
      SubConn idle = newSubConn(balancer, false, new CopyOnWriteArrayList<>());
      Recording unused = new Recording();
      Recording used = new Recording();
      PickResult toIdle = PickResult.withSubConn(idle, unused);
      balancer.publish(ConnectivityState.CONNECTING, info -> {
        info.headers().put(LB_TOKEN, "first");
        return toIdle;
      });

      TestSupport.CallRecorder call = startUnary(f.channel(), "x", CallOptions.DEFAULT.withWaitForReady());
      Await.until("the unused pick reported", () -> !unused.events.isEmpty());
      assertThat(unused.events).singleElement().isInstanceOfSatisfying(DoneInfo.class, info -> {
        assertThat(info.started()).isFalse();
        assertThat(info.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(info.status().description().orElse("")).contains("not READY");
      });

      PickResult toReady = PickResult.withSubConn(ready, used);
      balancer.publish(ConnectivityState.READY, info -> {
        info.headers().put(LB_TOKEN, "second");
        return toReady;
      });
      InMemoryTransportFactory.ServerCall serverCall = server.takeCall();
      assertThat(serverCall.stream.headers.getAll(LB_TOKEN)).containsExactly("second");
      serverCall.echo();

      assertThat(call.awaitClose().code()).isEqualTo(Status.Code.OK);
      Await.until("the used pick's end", () -> used.events.size() == 2);
      assertThat(used.events.get(0)).isEqualTo("started");
      assertThat(used.events.get(1)).isInstanceOfSatisfying(DoneInfo.class, info -> {
        assertThat(info.status().code()).isEqualTo(Status.Code.OK);
        assertThat(info.started()).isTrue();
        assertThat(info.sentToServer()).isTrue();
        assertThat(info.receivedFromServer()).isTrue();
      });
      assertThat(unused.events).hasSize(1);
    }
  }

  @Test
  void headersAPickerAddsNeverReachTheCallsOwnHeaders() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      TestBalancerProvider.TestBalancer balancer = start(f);
      SubConn ready = newReadySubConn(balancer);
      PickResult result = PickResult.withSubConn(ready);
      balancer.publish(ConnectivityState.READY, info -> {
        info.headers().put(LB_TOKEN, "token");
        return result;
      });
      Metadata own = new Metadata();
      own.put(Metadata.Key.of("x-own", Metadata.ASCII_STRING_MARSHALLER), "mine");
      f.channel().newCall(TestSupport.UNARY, CallOptions.DEFAULT).start(new TestSupport.CallRecorder(), own);

      InMemoryTransportFactory.ServerCall serverCall = server.takeCall();
      assertThat(serverCall.stream.headers.getAll(LB_TOKEN)).containsExactly("token");
      assertThat(serverCall.stream.headers.getAll(Metadata.Key.of("x-own", Metadata.ASCII_STRING_MARSHALLER)))
          .containsExactly("mine");
      assertThat(own.getAll(LB_TOKEN)).as("the application's metadata").isEmpty();
    }
  }

  @Test
  void headersAResultCarriesGoOutWithItsStreamReplacingTheCallsOfTheSameName() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      TestBalancerProvider.TestBalancer balancer = start(f);
      SubConn ready = newReadySubConn(balancer);
      Metadata token = new Metadata();
      token.put(LB_TOKEN, "from-the-result");
      PickResult result = PickResult.withSubConn(ready, PickListener.NONE, token);
      balancer.publish(ConnectivityState.READY, info -> result);
      Metadata.Key<String> ownKey = Metadata.Key.of("x-own", Metadata.ASCII_STRING_MARSHALLER);
      Metadata own = new Metadata();
      own.put(ownKey, "mine");
      own.put(LB_TOKEN, "forged");

      f.channel().newCall(TestSupport.UNARY, CallOptions.DEFAULT).start(new TestSupport.CallRecorder(), own);
      f.channel().newCall(TestSupport.UNARY, CallOptions.DEFAULT).start(new TestSupport.CallRecorder(), new Metadata());

      for (int i = 0; i < 2; i++) {
        InMemoryTransportFactory.ServerCall serverCall = server.takeCall();
        assertThat(serverCall.stream.headers.getAll(LB_TOKEN)).containsExactly("from-the-result");
      }
      assertThat(own.getAll(LB_TOKEN)).as("the application's metadata").containsExactly("forged");
      assertThat(own.getAll(ownKey)).containsExactly("mine");
      assertThat(token.getAll(LB_TOKEN)).as("the result's headers").containsExactly("from-the-result");
    }
  }

  @Test
  void noSubConnListenerRunsInsideTheBalancersOwnCall() throws Exception {
    AtomicBoolean insideBalancer = new AtomicBoolean();
    List<String> heard = new CopyOnWriteArrayList<>();
    policy.onUpdate = (balancer, update) -> {
      insideBalancer.set(true);
      try {
        for (int i = 0; i < 3; i++) {
          SubConn subConn = balancer.conn.newSubConn(update.addresses(), SubConnOptions.of(
              s -> heard.add(s.state() + (insideBalancer.get() ? " inside" : ""))));
          subConn.connect();
          if (i == 2) {
            subConn.shutdown();
          }
        }
        balancer.conn.updateState(ConnectivityState.CONNECTING, info -> PickResult.withNoResult());
        return Status.OK;
      } finally {
        insideBalancer.set(false);
      }
    };
    try (ChannelFixture f = new ChannelFixture()) {
      start(f);
      Await.until("two subconns READY", () -> heard.stream().filter(s -> s.startsWith("READY")).count() == 2);
      assertThat(heard).as("state changes heard by the listeners")
          .contains("CONNECTING", "READY").noneMatch(s -> s.endsWith(" inside"));
      assertThat(heard.stream().filter(s -> s.equals("CONNECTING")).count())
          .as("the subconn shut down inside the same call hears nothing").isEqualTo(2);
    }
  }
}
