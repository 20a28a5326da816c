package dev.switchboard.benchmarks.load;

import io.grpc.ManagedChannel;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * grpc-java's client through its own generated {@code BenchmarkServiceGrpc} stubs (from
 * grpc-benchmarks), on the same channel as {@link GrpcJavaRpcClient} (retries on, as shipped):
 * {@code SimpleRequest} messages serialized on every call, responses parsed. Unary scenarios only.
 * Thread-safe.
 */
final class GrpcJavaStubClient implements RpcClient {
  private final ManagedChannel channel;
  private final BenchmarkServiceGrpc.BenchmarkServiceBlockingStub blocking;
  private final BenchmarkServiceGrpc.BenchmarkServiceStub async;
  private final ForkJoinPool pool;
  private volatile SimpleRequest request;

  GrpcJavaStubClient(int port, ExecutorMode executor, byte[] request) {
    pool = executor == ExecutorMode.FJP ? ExecutorMode.newFifoPool() : null;
    channel = GrpcJavaRpcClient.channel(port, executor, pool, true);
    blocking = BenchmarkServiceGrpc.newBlockingStub(channel);
    async = BenchmarkServiceGrpc.newStub(channel);
    useRequest(request);
  }

  @Override
  public void useRequest(byte[] request) {
    this.request = SwitchboardStubClient.parse(request);
  }

  @Override
  public void blockingUnary() {
    blocking.unaryCall(request);
  }

  @Override
  public void asyncUnary(Completion done) {
    async.unaryCall(request, new StreamObserver<>() {
      @Override
      public void onNext(SimpleResponse value) {}

      @Override
      public void onError(Throwable t) {
        done.done(t);
      }

      @Override
      public void onCompleted() {
        done.done(null);
      }
    });
  }

  @Override
  public Stream bidi(Runnable onResponse, Consumer<Throwable> onError) {
    throw new UnsupportedOperationException("the stub clients run unary scenarios only");
  }

  @Override
  public Stream serverStreaming(Runnable onMessage, Consumer<Throwable> onError) {
    throw new UnsupportedOperationException("the stub clients run unary scenarios only");
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pool != null) {
      pool.shutdown();
    }
  }
}
