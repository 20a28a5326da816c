package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCallStreamObserver;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.api.stub.ClientInterceptors;
import dev.switchboard.channel.api.stub.ForwardingClientCall;
import dev.switchboard.channel.api.stub.ForwardingClientCallListener;
import dev.switchboard.channel.api.stub.StreamObserver;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import dev.switchboard.channel.testing.backend.TestMethods.HealthStatus;
import dev.switchboard.channel.testing.backend.TestMethods;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stubs of {@code …api.stub} with {@link TestMethods}, over grpc-java's transport (through
 * {@link GrpcJavaChannel}) to a {@link TestBackend}: a real peer on both ends of the wire.
 */
class StubsAgainstTestBackendTest {

  /** Fresh for each call: a deadline is a point in time. */
  private static CallOptions tenSeconds() {
    return CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10));
  }

  private final TestBackend backend = TestBackend.newBuilder().name("b1").build().start();
  private final ManagedChannel grpcChannel = GrpcJava.plaintextChannel(backend);
  private final Channel channel = new GrpcJavaChannel(grpcChannel);

  @AfterEach
  void tearDown() throws InterruptedException {
    GrpcJava.shutdown(grpcChannel);
    backend.close();
  }

  @Test
  void blockingUnaryCallbacksRunOnTheCallingThread() {
    List<Thread> callbackThreads = new CopyOnWriteArrayList<>();
    ClientInterceptor recordThreads = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
          @Override
          public void start(Listener<RespT> listener, dev.switchboard.channel.api.Metadata headers) {
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onMessage(RespT message) {
                callbackThreads.add(Thread.currentThread());
                super.onMessage(message);
              }

              @Override
              public void onClose(Status status, dev.switchboard.channel.api.Metadata trailers) {
                callbackThreads.add(Thread.currentThread());
                super.onClose(status, trailers);
              }
            }, headers);
          }
        };
      }
    };

    EchoResponse response = ClientCalls.blockingUnaryCall(
        ClientInterceptors.intercept(channel, recordThreads), TestMethods.ECHO, tenSeconds(),
        EchoRequest.of("hello").withResponseDelayMs(50));

    assertThat(response).isEqualTo(new EchoResponse("hello", "b1"));
    assertThat(callbackThreads).hasSize(2).containsOnly(Thread.currentThread());
  }

  @Test
  void blockingUnaryThrowsTheServersStatus() {
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(),
            EchoRequest.of("x").withFailWithCode(Status.Code.RESOURCE_EXHAUSTED)))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.status().description()).hasValueSatisfying(d -> assertThat(d).contains("fail_with_code 8"));
        });
  }

  @Test
  void deadlineEndsASlowBlockingCall() {
    CallOptions shortDeadline = CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(200));

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, shortDeadline,
            EchoRequest.of("slow").withResponseDelayMs(10_000)))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void blockingIteratorReadsAStreamAndItsFailure() {
    // EchoStream answers each request; one request and a half-close make it server-streaming.
    MethodDescriptor<EchoRequest, EchoResponse> oneRequest =
        TestMethods.ECHO_STREAM.toBuilder().type(MethodDescriptor.MethodType.SERVER_STREAMING).build();

    Iterator<EchoResponse> ok = ClientCalls.blockingServerStreamingCall(
        channel, oneRequest, tenSeconds(), EchoRequest.of("only"));
    assertThat(ok.next()).isEqualTo(new EchoResponse("only", "b1"));
    assertThat(ok.hasNext()).isFalse();

    Iterator<EchoResponse> failing = ClientCalls.blockingServerStreamingCall(
        channel, oneRequest, tenSeconds(), EchoRequest.of("x").withFailWithCode(Status.Code.DATA_LOSS));
    assertThatThrownBy(failing::hasNext)
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.status().code()).isEqualTo(Status.Code.DATA_LOSS));
  }

  @Test
  void interruptingABlockedCallCancelsItOnTheWire() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(),
            EchoRequest.of("slow").withResponseDelayMs(60_000));
      } catch (RuntimeException e) {
        thrown.set(e);
      }
    });
    caller.start();
    Await.until("the backend served one call", Duration.ofSeconds(10), () -> backend.callsServed() == 1);

    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.status().code()).isEqualTo(Status.Code.CANCELLED));
  }

  @Test
  void futureUnaryCallChecksHealth() throws Exception {
    CompletableFuture<HealthStatus> status =
        ClientCalls.futureUnaryCall(channel, TestMethods.HEALTH_CHECK, tenSeconds(), "");

    assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(HealthStatus.SERVING);
  }

  @Test
  void bidiObserverGetsOneAnswerPerRequest() throws Exception {
    List<EchoResponse> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCallStreamObserver<EchoRequest> requests = ClientCalls.bidiStreamingCall(
        channel, TestMethods.ECHO_STREAM, tenSeconds(), new StreamObserver<>() {
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

    done.get(10, TimeUnit.SECONDS);
    assertThat(responses).containsExactly(
        new EchoResponse("a", "b1"), new EchoResponse("b", "b1"), new EchoResponse("c", "b1"));
  }
}
