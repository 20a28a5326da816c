package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.TestListeners.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.internal.transport.netty.MisbehavingServer.Behaviour;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of a raw HTTP/2 peer, seen through the whole channel (resolver, balancer, subchannel,
 * transport, stubs): each call ends with a status naming the problem well before its deadline, and
 * the same channel then serves a good call.
 */
class ChannelMisbehavingPeerTest {

  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
  /** Far below the deadline: a fault must end its call at once, not when the deadline fires. */
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  private final MisbehavingServer server;
  private final ManagedChannel channel;

  ChannelMisbehavingPeerTest() throws InterruptedException {
    server = new MisbehavingServer();
    channel = ChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.address().getPort())
        .usePlaintext()
        .build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    channel.shutdownNow();
    assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("channel terminated").isTrue();
    server.close();
  }

  private byte[] call(Behaviour behaviour, CallOptions options) {
    return ClientCalls.blockingUnaryCall(channel, method("misbehave.Service/" + behaviour.name(), MethodType.UNARY),
        options, "ping".getBytes(StandardCharsets.US_ASCII));
  }

  private Status fails(Behaviour behaviour, Status.Code code, String... inDescription) {
    long start = System.nanoTime();
    Status[] status = new Status[1];
    assertThatThrownBy(() -> call(behaviour, CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE)))
        .isInstanceOfSatisfying(StatusException.class, e -> status[0] = e.status());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(behaviour + " ended promptly").isLessThan(PROMPTLY);
    assertThat(status[0].code()).as(status[0].toString()).isEqualTo(code);
    assertThat(status[0].description().orElse("")).as(status[0].toString()).contains(inDescription);
    return status[0];
  }

  private void channelStillServes(int expectedConnections) {
    byte[] pong = call(Behaviour.Ok, CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE));
    assertThat(new String(pong, StandardCharsets.US_ASCII)).isEqualTo("pong");
    assertThat(server.connections.get()).as("connections opened").isEqualTo(expectedConnections);
  }

  @Test
  void oversizedMessageIsResourceExhaustedNamingSizeAndLimit() {
    channelStillServes(1);

    fails(Behaviour.Oversized, Status.Code.RESOURCE_EXHAUSTED, "10485760", "4194304");

    channelStillServes(1);
  }

  @Test
  void headersOverTheServersHeaderListLimitAreInternalNamingTheSettingAndItsValue() {
    // The SETTINGS come before this response: the calls after it see the limit.
    assertThat(new String(call(Behaviour.TinyHeaderListLimit, CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE)),
        StandardCharsets.US_ASCII)).isEqualTo("pong");

    Status status = fails(Behaviour.Ok, Status.Code.INTERNAL,
        "request headers exceed the server's SETTINGS_MAX_HEADER_LIST_SIZE of 16 bytes");
    assertThat(status.description().orElse("")).doesNotContain("closed without trailers");
    // Not retried (the same headers would fail again) and never sent.
    assertThat(server.requestHeaders).hasSize(1);
  }

  @Test
  void aConnectionErrorOfOursSendsTheNextCallsToANewConnection() {
    for (int round = 1; round <= 20; round++) {
      // The call itself may end either way: its response follows the frame that broke the connection.
      try {
        call(Behaviour.WindowOverflow, CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE));
      } catch (StatusException e) {
        assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.status().description().orElse("")).contains("Window size overflow");
      }
      // Started at once, while the broken connection is still closing.
      channelStillServes(round + 1);
    }
  }

  @Test
  void malformedFrameIsInternalNamingWhatIsMissing() {
    fails(Behaviour.LengthBeyondData, Status.Code.INTERNAL, "10 of 100 bytes");

    channelStillServes(1);
  }

  @Test
  void invalidGrpcStatusIsInternalNamingIt() {
    fails(Behaviour.InvalidGrpcStatus, Status.Code.INTERNAL, "grpc-status 'abc'");

    channelStillServes(1);
  }

  @Test
  void missingContentTypeIsUnknownNamingIt() {
    fails(Behaviour.MissingContentType, Status.Code.UNKNOWN, "no content-type");

    channelStillServes(1);
  }

  @Test
  void headersAfterHeadersIsInternal() {
    fails(Behaviour.TwoHeaders, Status.Code.INTERNAL, "headers");

    channelStillServes(1);
  }

  @Test
  void connectionClosedMidMessageIsUnavailableAndTheChannelReconnects() {
    channelStillServes(1);

    fails(Behaviour.CloseMidMessage, Status.Code.UNAVAILABLE, "closed");

    // The connection is gone; the channel opens another one for the next call.
    channelStillServes(2);
  }

  @Test
  void headersNeverSentEndsOnTheDeadline() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> call(Behaviour.Silent, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.status().code()).as(e.status().toString()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
          assertThat(e.status().description()).hasValueSatisfying(d -> assertThat(d).contains("deadline"));
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);

    channelStillServes(1);
  }

  @Test
  void cancellingAFutureResetsTheStreamAtTheServer() throws Exception {
    channelStillServes(1);
    CompletableFuture<byte[]> pending = ClientCalls.futureUnaryCall(channel,
        method("misbehave.Service/" + Behaviour.Silent.name(), MethodType.UNARY),
        CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE), "ping".getBytes(StandardCharsets.US_ASCII));
    TestListeners.await(() -> server.requestHeaders.size() == 2, "the silent call's headers");

    assertThat(pending.cancel(true)).isTrue();

    TestListeners.await(() -> !server.resets.isEmpty(), "RST_STREAM at the server");
    assertThat(server.resets).singleElement().asString().endsWith(":CANCEL");
    channelStillServes(1);
  }

  @Test
  void streamRefusedByGoAwayIsRetriedOnANewConnectionThenFailsNamingGoAway() {
    channelStillServes(1);

    fails(Behaviour.GoAwayBelow, Status.Code.UNAVAILABLE, "not processed by the server", "GOAWAY");

    // Each attempt was refused by the server's GOAWAY and retried transparently on a new
    // connection, 5 times; none was spent on a connection already known to be going away.
    long attempts = server.requestHeaders.stream()
        .filter(h -> String.valueOf(h.path()).endsWith("/" + Behaviour.GoAwayBelow.name()))
        .count();
    assertThat(attempts).isEqualTo(6);
    // Every connection that sent GOAWAY is out of service: the next call opens a new one.
    channelStillServes(server.connections.get() + 1);
  }

  @Test
  void severalFaultsInARowLeaveTheChannelServing() {
    fails(Behaviour.Http503, Status.Code.UNAVAILABLE, "HTTP status code 503");
    fails(Behaviour.MissingGrpcStatus, Status.Code.INTERNAL, "no grpc-status");
    fails(Behaviour.RefuseStream, Status.Code.UNAVAILABLE, "REFUSED_STREAM");
    fails(Behaviour.BadBinaryHeader, Status.Code.INTERNAL, "binary header");
    fails(Behaviour.Oversized, Status.Code.RESOURCE_EXHAUSTED, "exceeds the limit");

    channelStillServes(1);
  }
}
