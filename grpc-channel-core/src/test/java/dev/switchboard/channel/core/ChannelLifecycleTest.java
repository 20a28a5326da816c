package dev.switchboard.channel.core;

import static dev.switchboard.channel.core.TestSupport.startUnary;
import static dev.switchboard.channel.core.TestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChannelLifecycleTest {
  private static final InetSocketAddress SERVER = InMemoryTransportFactory.address(1001);

  @Test
  void startsIdleAndConnectsOnFirstCall() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(SERVER);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.channel();
      assertThat(channel.state(false)).isEqualTo(ConnectivityState.IDLE);
      assertThat(f.resolverProvider.resolvers).isEmpty();

      TestSupport.CallRecorder call = startUnary(channel, "hello", CallOptions.DEFAULT);

      assertThat(call.awaitClose().code()).isEqualTo(Status.Code.OK);
      assertThat(call.messages).containsExactly("hello");
      assertThat(channel.state(false)).isEqualTo(ConnectivityState.READY);
    }
  }

  @Test
  void stateWithRequestConnectionLeavesIdleAndNotifiesWatchers() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(SERVER);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.channel();
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(ConnectivityState.IDLE, changed::countDown);

      assertThat(channel.state(true)).isEqualTo(ConnectivityState.IDLE);

      assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
      Await.until("READY", () -> channel.state(false) == ConnectivityState.READY);
    }
  }

  @Test
  void shutdownFailsNewAndWaitingCallsAndLetsStartedCallsFinish() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      server.onHalfClose = call -> {}; // the test answers by hand
      ManagedChannel channel = f.channel();
      TestSupport.CallRecorder waiting =
          startUnary(channel, "waiting", CallOptions.DEFAULT.withWaitForReady());
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      resolver.conn.updateState(state(SERVER));
      InMemoryTransportFactory.ServerCall started = server.takeCall();
      TestSupport.CallRecorder queued = startUnary(channel, "queued", CallOptions.DEFAULT);
      server.takeCall(); // the second call reached the server too: take it to answer later
      server.connectMode = InMemoryTransportFactory.ConnectMode.HANG;

      channel.shutdown();

      TestSupport.CallRecorder late = startUnary(channel, "late", CallOptions.DEFAULT);
      Status lateStatus = late.awaitClose();
      assertThat(lateStatus.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(lateStatus.description().orElse("")).contains("channel shut down");
      assertThat(waiting.isClosed()).as("%s", waiting.closed.getNow(null)).isFalse();
      assertThat(channel.isTerminated()).isFalse();
      Await.until("resolver closed", () -> resolver.closed);

      started.sendHeaders();
      started.sendMessage("done");
      started.close(Status.OK);
      assertThat(waiting.awaitClose().code()).isEqualTo(Status.Code.OK);
      assertThat(channel.isTerminated()).isFalse(); // the second call still runs
      queued.call.cancel("enough", null);
      assertThat(queued.awaitClose().code()).isEqualTo(Status.Code.CANCELLED);
      assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(f.transport.closed).isTrue();
    }
  }

  @Test
  void shutdownFailsCallsStillWaitingForAPicker() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = f.channel();
      TestSupport.CallRecorder waiting =
          startUnary(channel, "waiting", CallOptions.DEFAULT.withWaitForReady());
      f.resolverProvider.awaitResolver();

      channel.shutdown();

      Status status = waiting.awaitClose();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("channel shut down");
      assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(channel.state(false)).isEqualTo(ConnectivityState.SHUTDOWN);
    }
  }

  @Test
  void shutdownNowCancelsStartedCallsAndTerminates() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      server.onHalfClose = call -> {};
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.channel();
      TestSupport.CallRecorder call = startUnary(channel, "x", CallOptions.DEFAULT);
      InMemoryTransportFactory.ServerCall serverCall = server.takeCall();

      channel.shutdownNow();

      Status status = call.awaitClose();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("shut down now");
      Await.until("server saw the cancel", () -> serverCall.cancelledWith != null);
      assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(f.transport.transports).allMatch(InMemoryTransportFactory.FakeTransport::isTerminated);
    }
  }

  @Test
  void goAwayKeepsCallsInFlightAndNewCallsUseANewConnection() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      server.onHalfClose = call -> {};
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.channel();
      TestSupport.CallRecorder inFlight = startUnary(channel, "first", CallOptions.DEFAULT);
      InMemoryTransportFactory.ServerCall first = server.takeCall();

      server.liveConnections().get(0).goAway();
      Await.until("old connection out of service", () -> server.liveConnections().isEmpty());
      TestSupport.CallRecorder next = startUnary(channel, "second", CallOptions.DEFAULT);
      InMemoryTransportFactory.ServerCall second = server.takeCall();

      assertThat(second.stream.transport).isNotSameAs(first.stream.transport);
      first.echo();
      second.echo();
      assertThat(inFlight.awaitClose().isOk()).isTrue();
      assertThat(next.awaitClose().isOk()).isTrue();
      assertThat(inFlight.messages).containsExactly("first");
    }
  }
}
