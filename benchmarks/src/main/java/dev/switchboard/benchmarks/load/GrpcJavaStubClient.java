package dev.switchboard.benchmarks.load;

import io.grpc.ManagedChannel;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.stub.StreamObserver;

/**
 * grpc-java's client through its own generated {@code BenchmarkServiceGrpc} stubs (from
 * grpc-benchmarks), on the same channel as {@link GrpcJavaRpcClient} (retries on, as shipped):
 * {@code SimpleRequest} messages serialized on every call, responses parsed. Unary scenarios only.
 * Thread-safe.
 */
final class GrpcJavaStubClient extends UnaryStubClient {
  private final ManagedChannel channel;
  private final BenchmarkServiceGrpc.BenchmarkServiceBlockingStub blocking;
  private final BenchmarkServiceGrpc.BenchmarkServiceStub async;

  GrpcJavaStubClient(int port, ExecutorMode executor, byte[] request) {
    super(executor, request);
    channel = GrpcJavaRpcClient.channel(port, executor, pool, true);
    blocking = BenchmarkServiceGrpc.newBlockingStub(channel);
    async = BenchmarkServiceGrpc.newStub(channel);
  }

  @Override
  public void blockingUnary() {
    blocking.unaryCall(request);
  }

  @Override
  public void asyncUnary(Completion done) {
    async.unaryCall(request, new StreamObserver<SimpleResponse>() {
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
  void closeChannel() {
    GrpcJavaRpcClient.shutdown(channel);
  }
}
