package dev.switchboard.benchmarks.load;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * What the two stub clients share: the {@code SimpleRequest} message every call sends (the
 * harness's bytes parsed once per size), the FJP pool when there is one, and no streaming
 * scenarios. Thread-safe.
 */
abstract class UnaryStubClient implements RpcClient {
  /** The pool of {@link ExecutorMode#FJP}, shut down with the client; null in the other modes. */
  final ForkJoinPool pool;
  volatile SimpleRequest request;

  UnaryStubClient(ExecutorMode executor, byte[] request) {
    pool = executor == ExecutorMode.FJP ? ExecutorMode.newFifoPool() : null;
    useRequest(request);
  }

  @Override
  public final void useRequest(byte[] request) {
    try {
      this.request = SimpleRequest.parseFrom(request);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a SimpleRequest", e);
    }
  }

  @Override
  public final Stream bidi(Runnable onResponse, Consumer<Throwable> onError) {
    throw new UnsupportedOperationException("the stub clients run unary scenarios only");
  }

  @Override
  public final Stream serverStreaming(Runnable onMessage, Consumer<Throwable> onError) {
    throw new UnsupportedOperationException("the stub clients run unary scenarios only");
  }

  /** Closes the client's channel. */
  abstract void closeChannel();

  @Override
  public final void close() {
    closeChannel();
    if (pool != null) {
      pool.shutdown();
    }
  }
}
