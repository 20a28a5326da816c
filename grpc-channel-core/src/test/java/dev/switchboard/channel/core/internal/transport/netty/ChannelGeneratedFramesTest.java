package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.TestListeners.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCallStreamObserver;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.api.stub.StreamObserver;
import dev.switchboard.channel.core.ChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server that answers with generated HTTP/2 frames (bad types, flags, stream ids, lengths,
 * settings, window updates, header blocks and gRPC message prefixes; {@link GeneratedFramesServer}),
 * seen through the whole channel by unary, server-streaming and bidi calls (the last sending more
 * than the server's windows while the answer arrives): every call ends with a status or a response, never an exception
 * of another kind, and by its deadline at the latest; every status description stays readable;
 * and after each one the same channel serves a good call. A failure names the run's seed to rerun
 * with ({@code -Dswitchboard.fuzz.seed=…}, as the testing kit's {@code GeneratedInput}, which this
 * module's tests cannot see) and the frames that were sent.
 */
class ChannelGeneratedFramesTest {

  private static final int CASES = 400;
  private static final int MAX_MESSAGE_CHARS = 1000;
  /** Short: a generated answer may leave its call waiting (a silent peer is allowed to). */
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(2);
  /** The deadline fires on a timer: how late its status may come. */
  private static final Duration DEADLINE_SLACK = Duration.ofSeconds(3);

  private final GeneratedFramesServer server;
  private final ManagedChannel channel;

  ChannelGeneratedFramesTest() throws InterruptedException {
    server = new GeneratedFramesServer();
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

  @ParameterizedTest
  @EnumSource(value = MethodType.class, names = {"UNARY", "SERVER_STREAMING", "BIDI_STREAMING"})
  void generatedFramesEndEachCallWithAStatusAndTheChannelServesTheNext(MethodType type)
      throws InterruptedException {
    String fixed = System.getProperty("switchboard.fuzz.seed");
    long runSeed = fixed != null ? Long.parseLong(fixed.trim()) : new SplittableRandom().nextLong();
    for (int i = 0; i < CASES; i++) {
      long seed = (runSeed * 31 + i) & Long.MAX_VALUE;
      try {
        endsAndLeavesTheChannelServing(type, seed);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("case " + i + " failed (rerun with -Dswitchboard.fuzz.seed=" + runSeed + ")", e);
      }
    }
    // Many generated answers end their connection: the channel made new ones as needed.
    assertThat(server.connections.get()).isGreaterThan(1);
  }

  private void endsAndLeavesTheChannelServing(MethodType type, long seed) throws InterruptedException {
    long start = System.nanoTime();
    Status status;
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE);
    try {
      if (type == MethodType.UNARY) {
        call(Long.toString(seed), options);
      } else if (type == MethodType.SERVER_STREAMING) {
        // Every response the answer holds, one request(1) at a time, to the stream's end.
        ClientCalls.blockingServerStreamingCall(channel, method("fuzz.Service/" + seed, type), options,
            "ping".getBytes(StandardCharsets.US_ASCII)).forEachRemaining(response -> { });
      } else {
        sendingWhileTheAnswerArrives(seed, options);
      }
      status = Status.OK;
    } catch (StatusException e) {
      status = e.status();
    }
    String sent = server.description(seed);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("call ended by its deadline; frames:%s", sent)
        .isLessThan(CALL_DEADLINE.plus(DEADLINE_SLACK));
    assertThat(status.description().orElse("")).as("%s; frames:%s", status, sent)
        .hasSizeLessThanOrEqualTo(MAX_MESSAGE_CHARS)
        .doesNotContain("\u0000", "\u0001");

    // The good call starts once the client has read the whole answer: a call in flight while frames
    // of the answer still kill the connection, or while the server closes it, fails UNAVAILABLE,
    // rightly (the server may have read it). The next call is the one after.
    if (server.awaitSettled(seed)) {
      awaitChannelLeftReady(sent);
    }
    byte[] pong;
    try {
      pong = call("ok", CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(Duration.ofSeconds(10)));
    } catch (StatusException e) {
      throw new AssertionError("a good call after " + status + " and frames:" + sent + " failed", e);
    }
    assertThat(new String(pong, StandardCharsets.US_ASCII)).as("a good call after frames:%s", sent)
        .isEqualTo("pong");
  }

  /**
   * A bidi call that sends 96 KiB in three messages (more than the server's 64 KiB windows, which
   * it does not reopen: the sends wait) while the answer arrives, then half-closes; throws the
   * call's status if it failed.
   */
  private void sendingWhileTheAnswerArrives(long seed, CallOptions options) throws StatusException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCallStreamObserver<byte[]> requests = ClientCalls.bidiStreamingCall(channel,
        method("fuzz.Service/" + seed, MethodType.BIDI_STREAMING), options, new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {}

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    for (int i = 0; i < 3; i++) {
      requests.onNext(new byte[32 * 1024]);
    }
    requests.onCompleted();
    try {
      done.get(CALL_DEADLINE.plus(DEADLINE_SLACK).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusException) {
        throw (StatusException) e.getCause();
      }
      throw new AssertionError("the call failed with other than a status", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the call did not end", e);
    }
  }

  private void awaitChannelLeftReady(String sent) throws InterruptedException {
    CountDownLatch left = new CountDownLatch(1);
    channel.notifyWhenStateChanged(ConnectivityState.READY, left::countDown);
    assertThat(left.await(10, TimeUnit.SECONDS)).as("channel left READY after the server closed; frames:%s", sent)
        .isTrue();
  }

  private byte[] call(String name, CallOptions options) {
    return ClientCalls.blockingUnaryCall(channel, method("fuzz.Service/" + name, MethodType.UNARY), options,
        "ping".getBytes(StandardCharsets.US_ASCII));
  }
}
