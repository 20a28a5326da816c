package dev.switchboard.channel.api.stub;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The call styles applications use, built on {@link ClientCall}: blocking, future-based and
 * {@link StreamObserver}-based, as grpc-java's {@code ClientCalls}.
 *
 * <p>Blocking calls run the call's callbacks on the calling thread: the call gets an executor
 * without a thread of its own, which the blocked caller drains, so no pool is involved. Interrupting
 * the caller cancels the call. Failures surface as {@link StatusException} (unchecked), carrying
 * the status and the trailers.
 *
 * <p>The asynchronous styles with a response stream request one response at the start and one
 * more after each response delivered, unless a {@link ClientResponseObserver} turns that off in
 * {@code beforeStart}; those with a single response request it once. A
 * response observer that throws cancels the call, and then receives {@code onError}.
 *
 * <p>Thread-safe: every method may be called from any thread. The request observers they return
 * are not thread-safe (see {@link ClientCallStreamObserver}).
 *
 * @since 0.1
 */
public final class ClientCalls {

  private ClientCalls() {}

  /**
   * Makes a unary call and waits for its response, running its callbacks on this thread.
   *
   * @throws StatusException if the call fails; with {@link Status.Code#CANCELLED} if this thread
   *     is interrupted (the interrupt flag stays set)
   */
  public static <ReqT, RespT> RespT blockingUnaryCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, ReqT request) {
    requireNonNull(channel, "channel");
    requireNonNull(method, "method");
    requireNonNull(callOptions, "callOptions");
    requireNonNull(request, "request");
    ThreadlessExecutor executor = new ThreadlessExecutor();
    ClientCall<ReqT, RespT> call = channel.newCall(method, callOptions.withExecutor(executor));
    boolean interrupted = false;
    try {
      CompletableFuture<RespT> response = startUnary(call, request);
      while (!response.isDone()) {
        try {
          executor.waitAndDrain();
        } catch (InterruptedException e) {
          interrupted = true;
          // Keep draining: the cancellation's onClose completes the future.
          call.cancel("the calling thread was interrupted", e);
        }
      }
      executor.shutdown();
      return resultOf(response);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts a unary call; the future completes with the response or with a {@link StatusException}.
   * Cancelling the future cancels the call.
   */
  public static <ReqT, RespT> CompletableFuture<RespT> futureUnaryCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, ReqT request) {
    requireNonNull(request, "request");
    return startUnary(newCall(channel, method, callOptions), request);
  }

  /**
   * Starts a unary call whose response and completion go to {@code responseObserver}.
   */
  public static <ReqT, RespT> void unaryCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, ReqT request,
      StreamObserver<RespT> responseObserver) {
    requireNonNull(request, "request");
    ClientCall<ReqT, RespT> call = newCall(channel, method, callOptions);
    start(call, responseObserver, false).sendAndHalfClose(request);
  }

  /**
   * Makes a server-streaming call and returns its responses as a blocking iterator. The iterator
   * requests one response at a time, when the previous one has been taken, so at most one response
   * is buffered. {@code hasNext()} and {@code next()} block, running the call's callbacks on the
   * calling thread, and throw {@link StatusException} if the call fails (also in the middle of the
   * stream). Interrupting a blocked thread cancels the call. A caller that stops early should
   * cancel the call through a {@link dev.switchboard.channel.api.Deadline} or run the iterator to
   * its end.
   *
   * <p>The iterator is not thread-safe: use it from one thread.
   */
  public static <ReqT, RespT> Iterator<RespT> blockingServerStreamingCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, ReqT request) {
    requireNonNull(channel, "channel");
    requireNonNull(method, "method");
    requireNonNull(callOptions, "callOptions");
    requireNonNull(request, "request");
    ThreadlessExecutor executor = new ThreadlessExecutor();
    ClientCall<ReqT, RespT> call = channel.newCall(method, callOptions.withExecutor(executor));
    BlockingResponseIterator<RespT> responses = new BlockingResponseIterator<>(call, executor);
    try {
      call.start(responses.listener(), new Metadata());
      call.request(1);
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException | Error e) {
      throw cancelThrow(call, e);
    }
    return responses;
  }

  /** Starts a server-streaming call whose responses go to {@code responseObserver}. */
  public static <ReqT, RespT> void serverStreamingCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, ReqT request,
      StreamObserver<RespT> responseObserver) {
    requireNonNull(request, "request");
    ClientCall<ReqT, RespT> call = newCall(channel, method, callOptions);
    start(call, responseObserver, true).sendAndHalfClose(request);
  }

  /**
   * Starts a client-streaming call: send requests through the returned observer and complete it;
   * the one response goes to {@code responseObserver}.
   */
  public static <ReqT, RespT> ClientCallStreamObserver<ReqT> clientStreamingCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions,
      StreamObserver<RespT> responseObserver) {
    return start(newCall(channel, method, callOptions), responseObserver, false);
  }

  /**
   * Starts a bidirectional streaming call: send requests through the returned observer; responses
   * go to {@code responseObserver}.
   */
  public static <ReqT, RespT> ClientCallStreamObserver<ReqT> bidiStreamingCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions,
      StreamObserver<RespT> responseObserver) {
    return start(newCall(channel, method, callOptions), responseObserver, true);
  }

  private static <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    requireNonNull(channel, "channel");
    requireNonNull(method, "method");
    requireNonNull(callOptions, "callOptions");
    return channel.newCall(method, callOptions);
  }

  private static <ReqT, RespT> CompletableFuture<RespT> startUnary(
      ClientCall<ReqT, RespT> call, ReqT request) {
    UnaryResponseFuture<RespT> response = new UnaryResponseFuture<>(call);
    try {
      call.start(response.listener(), new Metadata());
      // Two, so that a second response is seen as the protocol error it is.
      call.request(2);
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException | Error e) {
      throw cancelThrow(call, e);
    }
    return response;
  }

  private static <ReqT, RespT> RequestObserver<ReqT, RespT> start(
      ClientCall<ReqT, RespT> call, StreamObserver<RespT> responseObserver, boolean streamingResponse) {
    requireNonNull(responseObserver, "responseObserver");
    RequestObserver<ReqT, RespT> requests = new RequestObserver<>(call);
    try {
      if (responseObserver instanceof ClientResponseObserver<?, ?>) {
        @SuppressWarnings("unchecked")
        ClientResponseObserver<ReqT, RespT> configurer = (ClientResponseObserver<ReqT, RespT>) responseObserver;
        configurer.beforeStart(requests);
      }
      requests.started = true;
      call.start(new ObserverListener<>(call, responseObserver, requests, streamingResponse), new Metadata());
      // A single response: two, so that a second is seen as the protocol error it is, and no
      // request after it. A stream: one now, one more after each response.
      int initial = requests.autoRequest ? (streamingResponse ? 1 : 2) : requests.initialRequest;
      if (initial > 0) {
        call.request(initial);
      }
    } catch (RuntimeException | Error e) {
      throw cancelThrow(call, e);
    }
    return requests;
  }

  private static RuntimeException cancelThrow(ClientCall<?, ?> call, Throwable t) {
    try {
      call.cancel(null, t);
    } catch (RuntimeException | Error e) {
      t.addSuppressed(e);
    }
    if (t instanceof Error e) {
      throw e;
    }
    return (RuntimeException) t;
  }

  private static <T> T resultOf(CompletableFuture<T> done) {
    try {
      return done.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      Metadata trailers = cause instanceof StatusException se ? se.trailers() : new Metadata();
      // A new exception, so that its stack trace shows the caller.
      throw new StatusException(Status.fromThrowable(cause), trailers);
    }
  }

  /** The future of a unary call; cancelling it cancels the call. */
  private static final class UnaryResponseFuture<RespT> extends CompletableFuture<RespT> {
    private final ClientCall<?, RespT> call;
    private RespT value;

    UnaryResponseFuture(ClientCall<?, RespT> call) {
      this.call = call;
    }

    ClientCall.Listener<RespT> listener() {
      return new ClientCall.Listener<>() {
        @Override
        public void onMessage(RespT message) {
          if (value != null) {
            call.cancel("more than one response for a unary call", null);
            completeExceptionally(Status.INTERNAL
                .withDescription("more than one response for a unary call (expected: 1)")
                .asException());
            return;
          }
          value = message;
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          if (!status.isOk()) {
            completeExceptionally(status.asException(trailers));
          } else if (value == null) {
            completeExceptionally(Status.INTERNAL
                .withDescription("no response for a unary call (expected: 1)")
                .asException(trailers));
          } else {
            complete(value);
          }
        }
      };
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        call.cancel("the future was cancelled", null);
      }
      return cancelled;
    }
  }

  /** The blocking iterator of a server-streaming call. */
  private static final class BlockingResponseIterator<T> implements Iterator<T> {
    /** Marks a successful end of the stream in the buffer. */
    private static final Object END = new Object();

    private final ClientCall<?, T> call;
    private final ThreadlessExecutor executor;
    // One response is requested at a time, so one response and the close are the most it holds.
    private final BlockingQueue<Object> buffer = new ArrayBlockingQueue<>(3);
    private Object next;

    BlockingResponseIterator(ClientCall<?, T> call, ThreadlessExecutor executor) {
      this.call = call;
      this.executor = executor;
    }

    ClientCall.Listener<T> listener() {
      return new ClientCall.Listener<>() {
        @Override
        public void onMessage(T message) {
          buffer.add(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          buffer.add(status.isOk() ? END : status.asException(trailers));
        }
      };
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = take();
      }
      if (next instanceof StatusException e) {
        // Each hasNext() after the failure throws again, with the caller's stack.
        throw new StatusException(e.status(), e.trailers());
      }
      return next != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the stream has ended");
      }
      T value = (T) next;
      next = null;
      call.request(1);
      return value;
    }

    private Object take() {
      boolean interrupted = false;
      try {
        Object taken;
        while ((taken = buffer.poll()) == null) {
          try {
            executor.waitAndDrain();
          } catch (InterruptedException e) {
            interrupted = true;
            call.cancel("the calling thread was interrupted", e);
          }
        }
        if (taken == END || taken instanceof StatusException) {
          executor.shutdown();
        }
        return taken;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The request side handed to the application. */
  private static final class RequestObserver<ReqT, RespT> implements ClientCallStreamObserver<ReqT> {
    private final ClientCall<ReqT, RespT> call;
    // Set before the call starts, read on its executor and by the application's threads.
    private volatile Runnable onReadyHandler;
    private volatile boolean started;
    private volatile boolean autoRequest = true;
    private int initialRequest;

    RequestObserver(ClientCall<ReqT, RespT> call) {
      this.call = call;
    }

    void sendAndHalfClose(ReqT request) {
      try {
        call.sendMessage(request);
        call.halfClose();
      } catch (RuntimeException | Error e) {
        throw cancelThrow(call, e);
      }
    }

    @Override
    public void onNext(ReqT value) {
      call.sendMessage(requireNonNull(value, "value"));
    }

    @Override
    public void onError(Throwable t) {
      call.cancel("cancelled by the client with onError()", requireNonNull(t, "t"));
    }

    @Override
    public void onCompleted() {
      call.halfClose();
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {
      this.onReadyHandler = requireNonNull(onReadyHandler, "onReadyHandler");
    }

    @Override
    public void request(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
      }
      call.request(count);
    }

    @Override
    public void disableAutoRequestWithInitial(int initial) {
      if (started) {
        throw new IllegalStateException(
            "disableAutoRequestWithInitial after the call started (expected: in beforeStart)");
      }
      if (initial < 0) {
        throw new IllegalArgumentException("initial: " + initial + " (expected: >= 0)");
      }
      autoRequest = false;
      initialRequest = initial;
    }

    @Override
    public void cancel(String message, Throwable cause) {
      call.cancel(message, cause);
    }
  }

  /** Turns call events into observer calls. */
  private static final class ObserverListener<ReqT, RespT> extends ClientCall.Listener<RespT> {
    private final ClientCall<ReqT, RespT> call;
    private final StreamObserver<RespT> observer;
    private final RequestObserver<ReqT, RespT> requests;
    private final boolean streamingResponse;
    private boolean responded;

    ObserverListener(ClientCall<ReqT, RespT> call, StreamObserver<RespT> observer,
        RequestObserver<ReqT, RespT> requests, boolean streamingResponse) {
      this.call = call;
      this.observer = observer;
      this.requests = requests;
      this.streamingResponse = streamingResponse;
    }

    @Override
    public void onMessage(RespT message) {
      if (responded && !streamingResponse) {
        call.cancel("more than one response (expected: 1)", null);
        return;
      }
      responded = true;
      try {
        observer.onNext(message);
      } catch (RuntimeException e) {
        call.cancel("the response observer threw", e);
        return;
      }
      if (requests.autoRequest && streamingResponse) {
        call.request(1);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (status.isOk() && !streamingResponse && !responded) {
        observer.onError(Status.INTERNAL.withDescription("no response (expected: 1)").asException(trailers));
      } else if (status.isOk()) {
        observer.onCompleted();
      } else {
        observer.onError(status.asException(trailers));
      }
    }

    @Override
    public void onReady() {
      Runnable handler = requests.onReadyHandler;
      if (handler != null) {
        handler.run();
      }
    }
  }
}
