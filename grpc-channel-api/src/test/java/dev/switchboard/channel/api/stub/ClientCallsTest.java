package dev.switchboard.channel.api.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ClientCallsTest {

  private static final MethodDescriptor<String, String> UNARY = FakeChannel.method(MethodType.UNARY);
  private static final MethodDescriptor<String, String> SERVER_STREAMING =
      FakeChannel.method(MethodType.SERVER_STREAMING);
  private static final MethodDescriptor<String, String> BIDI = FakeChannel.method(MethodType.BIDI_STREAMING);
  private static final Metadata.Key<String> DETAIL =
      Metadata.Key.of("detail", Metadata.ASCII_STRING_MARSHALLER);

  private final FakeChannel channel = new FakeChannel();

  @Test
  void blockingUnaryRunsCallbacksOnTheCallingThread() {
    // The server answers from a thread of its own; the callbacks must still run on the caller.
    channel.onNewCall = call -> call.onHalfClose = () -> new Thread(() -> {
      call.respond("pong to " + call.sent.get(0));
      call.close(Status.OK, new Metadata());
    }).start();

    String response = ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "ping");

    assertThat(response).isEqualTo("pong to ping");
    FakeChannel.Call call = channel.lastCall();
    assertThat(call.callbackThreads).hasSize(2).containsOnly(Thread.currentThread());
    assertThat(call.requests).containsExactly(2);
    assertThat(call.halfClosed).isTrue();
  }

  @Test
  void blockingUnaryThrowsTheStatusWithItsTrailers() {
    channel.onNewCall = call -> call.onHalfClose = () -> {
      Metadata trailers = new Metadata();
      trailers.put(DETAIL, "why");
      call.close(Status.NOT_FOUND.withDescription("no such thing"), trailers);
    };

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x"))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.status().code()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.status().description()).contains("no such thing");
          assertThat(e.trailers().get(DETAIL)).contains("why");
        });
  }

  @Test
  void blockingUnaryWithoutResponseIsInternal() {
    channel.onNewCall = call -> call.onHalfClose = () -> call.close(Status.OK, new Metadata());

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x"))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.status().code()).isEqualTo(Status.Code.INTERNAL));
  }

  @Test
  void interruptingABlockedUnaryCallCancelsIt() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "never answered");
      } catch (RuntimeException e) {
        thrown.set(e);
      }
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    awaitTrue(() -> !channel.calls.isEmpty() && channel.lastCall().halfClosed);

    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(caller.isAlive()).isFalse();
    assertThat(channel.lastCall().cancelled).isTrue();
    assertThat(channel.lastCall().cancelCause).isInstanceOf(InterruptedException.class);
    assertThat(thrown.get()).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.status().code()).isEqualTo(Status.Code.CANCELLED));
    assertThat(stillInterrupted.get()).isTrue();
  }

  @Test
  void futureUnaryCompletesWithTheResponse() throws Exception {
    channel.onNewCall = call -> call.onHalfClose = () -> {
      call.respond("pong");
      call.close(Status.OK, new Metadata());
    };

    CompletableFuture<String> future = ClientCalls.futureUnaryCall(channel, UNARY, CallOptions.DEFAULT, "ping");

    assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo("pong");
  }

  @Test
  void cancellingTheFutureCancelsTheCall() {
    CompletableFuture<String> future = ClientCalls.futureUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x");

    assertThat(future.cancel(true)).isTrue();

    assertThat(channel.lastCall().cancelled).isTrue();
    assertThat(future).isCancelled();
  }

  @Test
  void failedFutureCarriesAStatusException() {
    channel.onNewCall = call -> call.onHalfClose = () -> call.close(Status.UNAVAILABLE, new Metadata());

    CompletableFuture<String> future = ClientCalls.futureUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x");

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void serverStreamingIteratorRequestsOneAtATimeAndSurfacesAMidStreamError() {
    Deque<String> script = new ArrayDeque<>(List.of("a", "b"));
    AtomicInteger unanswered = new AtomicInteger();
    AtomicInteger maxUnanswered = new AtomicInteger();
    channel.onNewCall = call -> call.onRequest = n -> {
      maxUnanswered.accumulateAndGet(unanswered.addAndGet(n), Math::max);
      String next = script.poll();
      unanswered.decrementAndGet();
      if (next != null) {
        call.respond(next);
      } else {
        call.close(Status.UNAVAILABLE.withDescription("backend went away"), new Metadata());
      }
    };

    Iterator<String> responses =
        ClientCalls.blockingServerStreamingCall(channel, SERVER_STREAMING, CallOptions.DEFAULT, "go");
    FakeChannel.Call call = channel.lastCall();
    assertThat(call.requests).containsExactly(1);

    assertThat(responses.hasNext()).isTrue();
    assertThat(call.requests).as("nothing more is asked for before a response is taken").containsExactly(1);
    assertThat(responses.next()).isEqualTo("a");
    assertThat(responses.next()).isEqualTo("b");
    assertThatThrownBy(responses::hasNext)
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.status().description()).contains("backend went away");
        });
    assertThat(call.requests).containsExactly(1, 1, 1);
    assertThat(maxUnanswered).hasValue(1);
    assertThat(call.callbackThreads).containsOnly(Thread.currentThread());
  }

  @Test
  void serverStreamingIteratorEndsWhenTheCallSucceeds() {
    channel.onNewCall = call -> call.onHalfClose = () -> call.close(Status.OK, new Metadata());

    Iterator<String> responses =
        ClientCalls.blockingServerStreamingCall(channel, SERVER_STREAMING, CallOptions.DEFAULT, "go");

    assertThat(responses.hasNext()).isFalse();
  }

  @Test
  void observerUnaryRequestsTwoAtTheStartAndNothingAfterTheResponse() {
    RecordingObserver observer = new RecordingObserver();

    ClientCalls.unaryCall(channel, UNARY, CallOptions.DEFAULT, "ping", observer);
    FakeChannel.Call call = channel.lastCall();
    assertThat(call.requests).as("two: a second response would be seen as the error it is").containsExactly(2);
    call.respond("pong");
    call.close(Status.OK, new Metadata());

    assertThat(call.requests).as("no request(1) after the only response").containsExactly(2);
    assertThat(observer.values).containsExactly("pong");
    assertThat(observer.completed).isTrue();
  }

  @Test
  void observerUnaryWithASecondResponseCancelsTheCall() {
    RecordingObserver observer = new RecordingObserver();

    ClientCalls.unaryCall(channel, UNARY, CallOptions.DEFAULT, "ping", observer);
    FakeChannel.Call call = channel.lastCall();
    call.respond("one");
    call.respond("two");

    assertThat(call.cancelled).isTrue();
    assertThat(observer.values).containsExactly("one");
  }

  @Test
  void observerCallsRequestOneMoreAfterEachResponse() {
    RecordingObserver observer = new RecordingObserver();

    ClientCalls.serverStreamingCall(channel, SERVER_STREAMING, CallOptions.DEFAULT, "go", observer);
    FakeChannel.Call call = channel.lastCall();
    assertThat(call.sent).containsExactly("go");
    assertThat(call.halfClosed).isTrue();
    assertThat(call.requests).containsExactly(1);
    call.respond("a");
    call.respond("b");
    call.close(Status.OK, new Metadata());

    assertThat(call.requests).containsExactly(1, 1, 1);
    assertThat(observer.values).containsExactly("a", "b");
    assertThat(observer.completed).isTrue();
  }

  @Test
  void bidiSenderFollowsReadinessThroughTheOnReadyHandler() {
    AtomicInteger handlerRuns = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    channel.onNewCall = call -> {
      call.ready = false;
      // The transport's buffer takes two messages, then pushes back.
      call.onSend = m -> call.ready = call.sent.size() % 2 != 0;
    };
    RecordingObserver responses = new RecordingObserver();
    ClientResponseObserver<String, String> observer = new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<String> requests) {
        requests.disableAutoRequestWithInitial(1);
        requests.setOnReadyHandler(() -> {
          handlerRuns.incrementAndGet();
          while (requests.isReady()) {
            requests.onNext("m" + next.getAndIncrement());
          }
        });
      }

      @Override
      public void onNext(String value) {
        responses.onNext(value);
      }

      @Override
      public void onError(Throwable t) {
        responses.onError(t);
      }

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };

    ClientCallStreamObserver<String> requests =
        ClientCalls.bidiStreamingCall(channel, BIDI, CallOptions.DEFAULT, observer);
    FakeChannel.Call call = channel.lastCall();
    assertThat(requests.isReady()).isFalse();
    assertThat(call.sent).isEmpty();

    call.becomeReady();
    assertThat(handlerRuns).hasValue(1);
    assertThat(call.sent).containsExactly("m0", "m1");
    assertThat(requests.isReady()).isFalse();
    call.becomeReady();
    assertThat(call.sent).containsExactly("m0", "m1", "m2", "m3");

    call.respond("r1");
    assertThat(responses.values).containsExactly("r1");
    assertThat(call.requests).as("automatic requests are off").containsExactly(1);
    requests.request(3);
    assertThat(call.requests).containsExactly(1, 3);

    requests.onCompleted();
    assertThat(call.halfClosed).isTrue();
    call.close(Status.OK, new Metadata());
    assertThat(responses.completed).isTrue();
  }

  @Test
  void disablingAutoRequestAfterTheStartIsRefused() {
    ClientCallStreamObserver<String> requests =
        ClientCalls.bidiStreamingCall(channel, BIDI, CallOptions.DEFAULT, new RecordingObserver());

    assertThatThrownBy(() -> requests.disableAutoRequestWithInitial(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("beforeStart");
  }

  @Test
  void requestObserverOnErrorCancelsTheCall() {
    RecordingObserver responses = new RecordingObserver();
    ClientCallStreamObserver<String> requests =
        ClientCalls.clientStreamingCall(channel, FakeChannel.method(MethodType.CLIENT_STREAMING),
            CallOptions.DEFAULT, responses);
    IllegalStateException why = new IllegalStateException("gave up");

    requests.onError(why);

    assertThat(channel.lastCall().cancelled).isTrue();
    assertThat(channel.lastCall().cancelCause).isSameAs(why);
    assertThat(responses.error).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.status().code()).isEqualTo(Status.Code.CANCELLED));
  }

  @Test
  void responseObserverThatThrowsCancelsTheCall() {
    RuntimeException boom = new RuntimeException("boom");
    RecordingObserver responses = new RecordingObserver() {
      @Override
      public void onNext(String value) {
        throw boom;
      }
    };
    ClientCalls.bidiStreamingCall(channel, BIDI, CallOptions.DEFAULT, responses);
    FakeChannel.Call call = channel.lastCall();

    call.respond("a");

    assertThat(call.cancelled).isTrue();
    assertThat(call.cancelCause).isSameAs(boom);
    assertThat(responses.error).isInstanceOf(StatusException.class);
  }

  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    Duration timeout = Duration.ofSeconds(10);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(5);
    }
  }

  /** Records what a response observer receives. */
  static class RecordingObserver implements StreamObserver<String> {
    final List<String> values = new CopyOnWriteArrayList<>();
    volatile Throwable error;
    volatile boolean completed;

    @Override
    public void onNext(String value) {
      values.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {
      completed = true;
    }
  }
}
