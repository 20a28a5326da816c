package dev.switchboard.channel.testing;

import static dev.switchboard.channel.testing.Channels.awaitTrue;
import static dev.switchboard.channel.testing.Channels.closeAndAwait;
import static dev.switchboard.channel.testing.Channels.tenSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The channel's aggregate connectivity state against a real backend and against a closed port. */
class ChannelConnectivityTest {

  private final TestBackend backend = TestBackend.newBuilder().name("b1").build().start();
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (channel != null) {
      closeAndAwait(channel);
    }
    backend.close();
  }

  /**
   * Follows the channel's state from {@code from}: each notification records the state the channel
   * is in when it runs and watches for the next change from there.
   */
  private static final class StateFollower {
    final List<ConnectivityState> seen = new CopyOnWriteArrayList<>();
    private final ManagedChannel channel;

    StateFollower(ManagedChannel channel, ConnectivityState from) {
      this.channel = channel;
      channel.notifyWhenStateChanged(from, this::changed);
    }

    private void changed() {
      ConnectivityState now = channel.state(false);
      seen.add(now);
      if (now != ConnectivityState.SHUTDOWN) {
        channel.notifyWhenStateChanged(now, this::changed);
      }
    }

    ConnectivityState last() {
      return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }
  }

  @Test
  void stateTrueConnectsAndNotificationsFollowIdleConnectingReady() throws Exception {
    channel = Channels.to(backend).build();
    assertThat(channel.state(false)).isEqualTo(ConnectivityState.IDLE);
    StateFollower follower = new StateFollower(channel, ConnectivityState.IDLE);
    assertThat(follower.seen).as("nothing changes until asked").isEmpty();

    assertThat(channel.state(true)).isEqualTo(ConnectivityState.IDLE);

    awaitTrue("READY", () -> follower.last() == ConnectivityState.READY);
    // CONNECTING may be over by the time a notification reads the state; never anything else.
    assertThat(follower.seen).isSubsetOf(ConnectivityState.CONNECTING, ConnectivityState.READY);
    assertThat(follower.seen).doesNotHaveDuplicates();
    assertThat(ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("up")))
        .isEqualTo(new EchoResponse("up", "b1"));
    assertThat(backend.callsServed()).isEqualTo(1);
  }

  @Test
  void channelIsConnectingUntilTheServersHttp2SettingsArrive() throws Exception {
    // A TCP listener that never speaks HTTP/2: the connection opens but never becomes READY.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      channel = ChannelBuilder.forTarget("passthrough:///127.0.0.1:" + silent.getLocalPort())
          .usePlaintext()
          .build();
      StateFollower follower = new StateFollower(channel, ConnectivityState.IDLE);

      channel.state(true);

      awaitTrue("CONNECTING", () -> follower.last() == ConnectivityState.CONNECTING);
      assertThat(follower.seen).containsExactly(ConnectivityState.CONNECTING);
      assertThat(channel.state(false)).isEqualTo(ConnectivityState.CONNECTING);
    }
  }

  @Test
  void closedPortIsTransientFailureAndCallsFailNamingTheAddress() throws Exception {
    int port = backend.port();
    backend.stop();
    channel = Channels.to(backend).build();
    StateFollower follower = new StateFollower(channel, ConnectivityState.IDLE);

    channel.state(true);

    awaitTrue("TRANSIENT_FAILURE", () -> follower.seen.contains(ConnectivityState.TRANSIENT_FAILURE));
    assertThat(follower.seen.get(0)).isIn(ConnectivityState.CONNECTING, ConnectivityState.TRANSIENT_FAILURE);
    assertThat(follower.seen).doesNotContain(ConnectivityState.READY);
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("?")))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.status().code()).as(e.status().toString()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.status().description()).hasValueSatisfying(d -> assertThat(d).contains("127.0.0.1:" + port));
        });
  }

  @Test
  void shutdownIsTheLastStateNotified() throws Exception {
    channel = Channels.to(backend).build();
    channel.state(true);
    StateFollower follower = new StateFollower(channel, ConnectivityState.IDLE);
    awaitTrue("READY", () -> follower.last() == ConnectivityState.READY);

    channel.shutdown();

    awaitTrue("SHUTDOWN", () -> follower.last() == ConnectivityState.SHUTDOWN);
    assertThat(channel.state(true)).isEqualTo(ConnectivityState.SHUTDOWN);
  }
}
