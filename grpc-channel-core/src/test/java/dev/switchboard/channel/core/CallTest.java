package dev.switchboard.channel.core;

import static dev.switchboard.channel.core.TestSupport.startUnary;
import static dev.switchboard.channel.core.TestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallTest {
  private static final InetSocketAddress SERVER = InMemoryTransportFactory.address(5001);

  @Test
  void deadlineExpiresWhileTheCallWaitsForAConnection() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = f.channel();
      TestSupport.CallRecorder call =
          startUnary(channel, "x", CallOptions.DEFAULT.withDeadline(Deadline.after(Duration.ofSeconds(1), f.clock)));

      f.clock.forward(Duration.ofMillis(999));
      assertThat(call.isClosed()).isFalse();
      f.clock.forward(Duration.ofMillis(1));

      Status status = call.awaitClose();
      assertThat(status.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(status.description().orElse("")).contains("waiting for a connection");
    }
  }

  @Test
  void deadlineCancelsTheStreamOfAStartedCall() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      server.onHalfClose = c -> {};
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      TestSupport.CallRecorder call = startUnary(
          f.channel(), "x", CallOptions.DEFAULT.withDeadline(Deadline.after(Duration.ofSeconds(2), f.clock)));
      InMemoryTransportFactory.ServerCall serverCall = server.takeCall();

      f.clock.forward(Duration.ofSeconds(2));

      assertThat(call.awaitClose().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      Await.until("stream reset", () -> serverCall.cancelledWith != null);
      assertThat(serverCall.cancelledWith.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
  }

  @Test
  void streamCancelledByTheServerAfterTheDeadlineIsDeadlineExceeded() throws Exception {
    Status status = serverCancelsAfter(Duration.ofSeconds(2));
    assertThat(status.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(status.description().orElse("")).contains("stream reset by the server with CANCEL");
  }

  @Test
  void streamCancelledByTheServerBeforeTheDeadlineStaysCancelled() throws Exception {
    assertThat(serverCancelsAfter(Duration.ofMillis(1999)).code()).isEqualTo(Status.Code.CANCELLED);
  }

  /**
   * Returns the status of a call with a 2 s deadline whose stream the server cancels after
   * {@code elapsed}. The deadline runs on a clock of its own, so that the channel's timer (on the
   * fixture's clock) stays behind: the server's reset arrives first, as when its grpc-timeout
   * timer fires before ours.
   */
  private static Status serverCancelsAfter(Duration elapsed) throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      server.onHalfClose = c -> {};
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      FakeClock deadlineClock = new FakeClock();
      TestSupport.CallRecorder call = startUnary(
          f.channel(), "x", CallOptions.DEFAULT.withDeadline(Deadline.after(Duration.ofSeconds(2), deadlineClock)));
      InMemoryTransportFactory.ServerCall serverCall = server.takeCall();
      deadlineClock.forward(elapsed);

      serverCall.close(Status.CANCELLED.withDescription("stream reset by the server with CANCEL"));

      return call.awaitClose();
    }
  }

  @Test
  void methodConfigGivesTimeoutAndWaitForReadyAndCallOptionsWin() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = f.build(f.builder().defaultServiceConfig(
          "{\"methodConfig\":[{\"name\":[{\"service\":\"test.Echo\"}],"
              + "\"timeout\":\"3s\",\"waitForReady\":true}]}"));
      f.resolverProvider.onStart =
          conn -> conn.reportError(Status.UNAVAILABLE.withDescription("resolver down"));

      TestSupport.CallRecorder fromConfig = startUnary(channel, "a", CallOptions.DEFAULT);
      TestSupport.CallRecorder failFast = startUnary(channel, "b", CallOptions.DEFAULT.withoutWaitForReady());

      assertThat(failFast.awaitClose().description()).hasValue("resolver down");
      assertThat(fromConfig.isClosed()).isFalse(); // wait-for-ready from the config
      f.clock.forward(Duration.ofSeconds(3));
      assertThat(fromConfig.awaitClose().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
  }

  @Test
  void operationsBeforeTheStreamExistsAreReplayedInOrder() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      ManagedChannel channel = f.channel();
      TestSupport.CallRecorder recorder = new TestSupport.CallRecorder();
      ClientCall<String, String> call = channel.newCall(TestSupport.UNARY, CallOptions.DEFAULT.withWaitForReady());
      call.start(recorder, new Metadata());
      call.request(3);
      call.sendMessage("one");
      call.sendMessage("two");
      call.sendMessage("three");
      call.halfClose();

      f.resolverProvider.awaitResolver().conn.updateState(state(SERVER));

      assertThat(recorder.awaitClose().isOk()).isTrue();
      assertThat(recorder.messages).containsExactly("one", "two", "three");
      assertThat(server.takeCall().received).containsExactly("one", "two", "three");
    }
  }

  @Test
  void refusedStreamIsRetriedTransparentlyWithItsMessages() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      AtomicInteger attempts = new AtomicInteger();
      server.onHalfClose = c -> {
        if (attempts.incrementAndGet() == 1) {
          c.refuse();
        } else {
          c.echo();
        }
      };
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));

      TestSupport.CallRecorder call = startUnary(f.channel(), "again", CallOptions.DEFAULT);

      assertThat(call.awaitClose().isOk()).isTrue();
      assertThat(call.messages).containsExactly("again");
      assertThat(attempts).hasValue(2);
    }
  }

  @Test
  void refusedStreamsAreRetriedOnlyABoundedNumberOfTimes() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      AtomicInteger attempts = new AtomicInteger();
      server.onHalfClose = c -> {
        attempts.incrementAndGet();
        c.refuse();
      };
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));

      Status status = startUnary(f.channel(), "x", CallOptions.DEFAULT).awaitClose();

      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(attempts).hasValue(6);
    }
  }

  @Test
  void onDoneHearsOnceHowThePickedCallEnded() throws Exception {
    TestBalancerProvider provider = new TestBalancerProvider("reporting");
    List<DoneInfo> done = new CopyOnWriteArrayList<>();
    provider.onUpdate = (balancer, update) -> {
      SubConn[] self = {null};
      self[0] = balancer.conn.newSubConn(update.addresses(), SubConnOptions.of(s -> {
        if (s.state() == ConnectivityState.READY) {
          PickResult result = PickResult.withSubConn(self[0], done::add);
          balancer.conn.updateState(ConnectivityState.READY, Picker.of(result));
        }
      }));
      self[0].connect();
      return Status.OK;
    };
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      server.onHalfClose = c -> {
        c.sendHeaders();
        c.close(Status.NOT_FOUND.withDescription("nope"));
      };
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel =
          f.build(f.builder().balancerProvider(provider).defaultLoadBalancingPolicy("reporting"));

      TestSupport.CallRecorder call = startUnary(channel, "x", CallOptions.DEFAULT);

      assertThat(call.awaitClose().code()).isEqualTo(Status.Code.NOT_FOUND);
      Await.until("onDone", () -> !done.isEmpty());
      call.call.cancel("late", null);
      assertThat(done).singleElement().satisfies(info -> {
        assertThat(info.status().code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(info.sentToServer()).isTrue();
        assertThat(info.receivedFromServer()).isTrue();
      });
      assertThat(call.closeCount).hasValue(1);
    }
  }

  @Test
  void interceptorsSeeTheCallInTheOrderGiven() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    ClientInterceptor first = tagging("first", seen);
    ClientInterceptor second = tagging("second", seen);
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(SERVER);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.build(f.builder().intercept(first, second));

      assertThat(startUnary(channel, "x", CallOptions.DEFAULT).awaitClose().isOk()).isTrue();

      assertThat(seen).containsExactly("first", "second");
    }
  }

  private static ClientInterceptor tagging(String name, List<String> seen) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        seen.add(name);
        return next.newCall(method, callOptions);
      }
    };
  }

  @Test
  void cancelBeforeTheStreamExistsClosesTheCallOnce() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      TestSupport.CallRecorder call = startUnary(f.channel(), "x", CallOptions.DEFAULT.withWaitForReady());

      call.call.cancel("changed my mind", null);
      call.call.cancel("again", null);

      Status status = call.awaitClose();
      assertThat(status.code()).isEqualTo(Status.Code.CANCELLED);
      assertThat(status.description()).hasValue("changed my mind");
      assertThat(call.closeCount).hasValue(1);
    }
  }

  @Test
  void messageSizeLimitsComeFromCallOptionsThenConfigThenTheChannelDefault() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.build(f.builder().defaultServiceConfig(
          "{\"methodConfig\":[{\"name\":[{\"service\":\"test.Echo\",\"method\":\"Unary\"}],"
              + "\"maxResponseMessageBytes\":100,\"maxRequestMessageBytes\":200}]}"));

      startUnary(channel, "a", CallOptions.DEFAULT).awaitClose();
      startUnary(channel, "b", CallOptions.DEFAULT.withMaxInboundMessageSize(50).withMaxOutboundMessageSize(60))
          .awaitClose();

      InMemoryTransportFactory.FakeStream fromConfig = server.takeCall().stream;
      InMemoryTransportFactory.FakeStream fromOptions = server.takeCall().stream;
      assertThat(fromConfig.maxInboundMessageSize).isEqualTo(100);
      assertThat(fromConfig.maxOutboundMessageSize).isEqualTo(200);
      assertThat(fromOptions.maxInboundMessageSize).isEqualTo(50);
      assertThat(fromOptions.maxOutboundMessageSize).isEqualTo(60);
    }
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      startUnary(f.channel(), "c", CallOptions.DEFAULT).awaitClose();
      assertThat(server.takeCall().stream.maxInboundMessageSize).isEqualTo(ChannelBuilder.DEFAULT_MAX_INBOUND_MESSAGE_SIZE);
    }
  }

  @Test
  void pickOfASubConnThatIsNotReadyWaitsForTheNextPickerAndWakesAnIdleOne() throws Exception {
    TestBalancerProvider provider = new TestBalancerProvider("eager");
    provider.onUpdate = (balancer, update) -> {
      SubConn[] self = {null};
      self[0] = balancer.conn.newSubConn(update.addresses(), SubConnOptions.of(s -> {
        if (s.state() == ConnectivityState.READY) {
          balancer.conn.updateState(ConnectivityState.READY, Picker.of(PickResult.withSubConn(self[0])));
        }
      }));
      // Published before the subconn connects, and without connect(): the pick must do both.
      balancer.conn.updateState(ConnectivityState.READY, Picker.of(PickResult.withSubConn(self[0])));
      return Status.OK;
    };
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.build(f.builder().balancerProvider(provider).defaultLoadBalancingPolicy("eager"));

      TestSupport.CallRecorder call = startUnary(channel, "x", CallOptions.DEFAULT);

      assertThat(call.awaitClose().isOk()).isTrue();
      assertThat(server.connectAttempts).hasValue(1);
    }
  }
}
