package dev.switchboard.channel.testing;

import static dev.switchboard.channel.testing.Channels.awaitTrue;
import static dev.switchboard.channel.testing.Channels.closeAndAwait;
import static dev.switchboard.channel.testing.Channels.tenSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCallStreamObserver;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.api.stub.ClientInterceptors;
import dev.switchboard.channel.api.stub.ClientResponseObserver;
import dev.switchboard.channel.api.stub.ForwardingClientCall;
import dev.switchboard.channel.api.stub.ForwardingClientCallListener;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import dev.switchboard.channel.testing.backend.TestMethods.HealthStatus;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stubs of {@code …api.stub} on our channel, over our Netty transport, to a {@link TestBackend}. */
class ChannelStubsTest {

  private final TestBackend backend = TestBackend.newBuilder().name("b1").build().start();
  private final ManagedChannel channel = Channels.to(backend).build();

  @AfterEach
  void tearDown() throws InterruptedException {
    closeAndAwait(channel);
    backend.close();
  }

  /** Records how each call through it closed. */
  private static final class CloseRecorder implements ClientInterceptor {
    final List<Status> closed = new CopyOnWriteArrayList<>();

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
              closed.add(status);
              super.onClose(status, trailers);
            }
          }, headers);
        }
      };
    }
  }

  @Test
  void blockingUnaryEchoesNamingTheBackend() {
    assertThat(ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("hello")))
        .isEqualTo(new EchoResponse("hello", "b1"));
    assertThat(ClientCalls.blockingUnaryCall(channel, TestMethods.HEALTH_CHECK, tenSeconds(), ""))
        .isEqualTo(HealthStatus.SERVING);
  }

  @Test
  void futureUnaryCompletesAndItsCancelCancelsTheCall() throws Exception {
    assertThat(ClientCalls.futureUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("f"))
            .get(10, TimeUnit.SECONDS))
        .isEqualTo(new EchoResponse("f", "b1"));

    CloseRecorder recorder = new CloseRecorder();
    CompletableFuture<EchoResponse> slow = ClientCalls.futureUnaryCall(
        ClientInterceptors.intercept(channel, recorder), TestMethods.ECHO, tenSeconds(),
        EchoRequest.of("slow").withResponseDelayMs(60_000));
    awaitTrue("the slow call reached the backend", () -> backend.callsServed() == 2);

    assertThat(slow.cancel(true)).isTrue();

    awaitTrue("the call closed", () -> !recorder.closed.isEmpty());
    assertThat(recorder.closed).singleElement()
        .satisfies(s -> assertThat(s.code()).isEqualTo(Status.Code.CANCELLED));
    assertThatThrownBy(() -> slow.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    // The connection is unharmed.
    assertThat(ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("after")))
        .isEqualTo(new EchoResponse("after", "b1"));
  }

  @Test
  void bidiEchoSentOnReadyAndReadOnRequestDeliversEveryMessageInOrder() throws Exception {
    // 3 MiB each way: more than the flow-control windows, so both sides must hand credit back.
    int count = 200;
    String payload = "x".repeat(16 * 1024);
    List<EchoResponse> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCallStreamObserver<EchoRequest>[] requests = new ClientCallStreamObserver[1];
    AtomicInteger sent = new AtomicInteger();

    ClientCalls.bidiStreamingCall(channel, TestMethods.ECHO_STREAM,
        CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(20)),
        new ClientResponseObserver<EchoRequest, EchoResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<EchoRequest> requestStream) {
            requests[0] = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
            // Sends only while the transport says it can take more: the client never buffers without bound.
            requestStream.setOnReadyHandler(() -> {
              synchronized (sent) {
                while (requestStream.isReady() && sent.get() < count) {
                  requestStream.onNext(EchoRequest.of(payload + sent.getAndIncrement()));
                }
                if (sent.get() == count && sent.getAndIncrement() == count) {
                  requestStream.onCompleted();
                }
              }
            });
          }

          @Override
          public void onNext(EchoResponse value) {
            responses.add(value);
            requests[0].request(1);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });

    done.get(20, TimeUnit.SECONDS);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(payload + i);
    }
    assertThat(responses).extracting(EchoResponse::message).containsExactlyElementsOf(expected);
    assertThat(responses).extracting(EchoResponse::backend).containsOnly("b1");
  }

  @Test
  void bidiResponsesWaitForTheApplicationToRequestThem() throws Exception {
    List<EchoResponse> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCallStreamObserver<EchoRequest> requests = ClientCalls.bidiStreamingCall(
        channel, TestMethods.ECHO_STREAM, tenSeconds(), new ClientResponseObserver<EchoRequest, EchoResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<EchoRequest> requestStream) {
            requestStream.disableAutoRequestWithInitial(0);
          }

          @Override
          public void onNext(EchoResponse value) {
            responses.add(value);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    for (String m : List.of("a", "b", "c")) {
      requests.onNext(EchoRequest.of(m));
    }
    requests.onCompleted();
    awaitTrue("the call reached the backend", () -> backend.callsServed() == 1);

    requests.request(1);
    awaitTrue("one response", () -> responses.size() == 1);
    // The server has answered all three and closed; the rest waits for the application.
    assertThat(done).isNotDone();
    assertThat(responses).hasSize(1);

    requests.request(2);
    done.get(10, TimeUnit.SECONDS);
    assertThat(responses).extracting(EchoResponse::message).containsExactly("a", "b", "c");
  }

  @Test
  void serverStreamingIteratorReadsEchoStream() {
    MethodDescriptor<EchoRequest, EchoResponse> oneRequest =
        TestMethods.ECHO_STREAM.toBuilder().type(MethodDescriptor.MethodType.SERVER_STREAMING).build();

    Iterator<EchoResponse> it = ClientCalls.blockingServerStreamingCall(
        channel, oneRequest, tenSeconds(), EchoRequest.of("only"));

    assertThat(it.hasNext()).isTrue();
    assertThat(it.next()).isEqualTo(new EchoResponse("only", "b1"));
    assertThat(it.hasNext()).isFalse();

    Iterator<EchoResponse> failing = ClientCalls.blockingServerStreamingCall(
        channel, oneRequest, tenSeconds(), EchoRequest.of("x").withFailWithCode(Status.Code.DATA_LOSS));
    assertThatThrownBy(failing::hasNext).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.status().code()).isEqualTo(Status.Code.DATA_LOSS));
  }

  @Test
  void delayedEchoPastItsDeadlineIsDeadlineExceeded() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO,
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(300)),
            EchoRequest.of("slow").withResponseDelayMs(10_000)))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void unknownMethodIsUnimplemented() {
    MethodDescriptor<EchoRequest, EchoResponse> unknown = TestMethods.ECHO.toBuilder()
        .fullMethodName(MethodDescriptor.fullMethodName(TestMethods.ECHO_SERVICE, "NoSuchMethod"))
        .build();

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, unknown, tenSeconds(), EchoRequest.of("?")))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.status().code()).isEqualTo(Status.Code.UNIMPLEMENTED);
          assertThat(e.status().description()).hasValueSatisfying(d -> assertThat(d).contains("NoSuchMethod"));
        });
  }

  @Test
  void shutdownLetsCallsInFlightFinishAndRefusesNewOnes() throws Exception {
    List<CompletableFuture<EchoResponse>> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(ClientCalls.futureUnaryCall(channel, TestMethods.ECHO, tenSeconds(),
          EchoRequest.of("late" + i).withResponseDelayMs(300)));
    }
    awaitTrue("the calls reached the backend", () -> backend.callsServed() == 3);

    channel.shutdown();

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("new")))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE));
    for (int i = 0; i < 3; i++) {
      assertThat(inFlight.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(new EchoResponse("late" + i, "b1"));
    }
    assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shutdownFailsCallsStillWaitingForAConnection() throws Exception {
    TestBackend away = TestBackend.newBuilder().name("away").build().start();
    away.stop();
    ManagedChannel waiting = Channels.to(away).build();
    try {
      CompletableFuture<EchoResponse> call = ClientCalls.futureUnaryCall(waiting, TestMethods.ECHO,
          tenSeconds().withWaitForReady(), EchoRequest.of("nowhere"));
      awaitTrue("the channel fails to connect",
          () -> waiting.state(false) == dev.switchboard.channel.api.ConnectivityState.TRANSIENT_FAILURE);
      assertThat(call).isNotDone();

      waiting.shutdown();

      assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(waiting.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      closeAndAwait(waiting);
    }
  }

  @Test
  void shutdownNowCancelsCallsInFlight() throws Exception {
    List<CompletableFuture<EchoResponse>> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(ClientCalls.futureUnaryCall(channel, TestMethods.ECHO, tenSeconds(),
          EchoRequest.of("never" + i).withResponseDelayMs(60_000)));
    }
    awaitTrue("the calls reached the backend", () -> backend.callsServed() == 3);

    channel.shutdownNow();

    for (CompletableFuture<EchoResponse> call : inFlight) {
      assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE));
    }
    assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }
}
