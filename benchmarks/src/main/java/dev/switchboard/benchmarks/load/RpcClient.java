package dev.switchboard.benchmarks.load;

import java.util.function.Consumer;

/**
 * One client under test, reduced to what the load scenarios need: calls to grpc-java's
 * {@code grpc.testing.BenchmarkService} with one pre-encoded {@code SimpleRequest} (see
 * {@link SimpleRequests}; given to the client when it is made, sent as it is by every call) and
 * responses read as bytes, never parsed, so that protobuf costs the same (nothing) for every client.
 *
 * <p>Callbacks run where the client's API runs them for the {@link ExecutorMode} chosen: on the
 * transport's thread, on a {@code ForkJoinPool} given to the builder, or on the client's default
 * executor; the blocking stub runs them on the caller's thread.
 *
 * <p>Thread-safe as the channel below it; a stream handle is used by one thread at a time.
 */
interface RpcClient extends AutoCloseable {

  /** The full name of the unary method. */
  String UNARY = "grpc.testing.BenchmarkService/UnaryCall";
  /** The full name of the bidi method (one response per request). */
  String STREAMING = "grpc.testing.BenchmarkService/StreamingCall";
  /** The full name of the server-streaming method (responses until cancelled). */
  String STREAMING_FROM_SERVER = "grpc.testing.BenchmarkService/StreamingFromServer";
  /** Receives the end of one unary call. */
  @FunctionalInterface
  interface Completion {
    /** Called once; {@code error} is null when the call succeeded. */
    void done(Throwable error);
  }

  /** The request side of an open stream. */
  interface Stream {
    /** Sends one more request (bidi only). */
    void send();

    /** Cancels the stream. */
    void cancel();
  }

  /**
   * Sends {@code request} in the calls and messages that start from now on (the run measures
   * several message sizes one after the other); any thread.
   */
  void useRequest(byte[] request);

  /** Makes one unary call and waits for its response (the blocking stub users write). */
  void blockingUnary();

  /** Starts one unary call; {@code done} runs on the client's callback executor. */
  void asyncUnary(Completion done);

  /** Opens {@code StreamingCall}; each response runs {@code onResponse}. */
  Stream bidi(Runnable onResponse, Consumer<Throwable> onError);

  /** Opens {@code StreamingFromServer} with one request; each message runs {@code onMessage}. */
  Stream serverStreaming(Runnable onMessage, Consumer<Throwable> onError);

  /** Shuts the client down, waiting a few seconds at most. */
  @Override
  void close();
}
