package dev.switchboard.benchmarks.load;

import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.stub.StreamObserver;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;

/**
 * Our channel through the stubs our protoc plugin generates from grpc-java's benchmark
 * {@code services.proto}: requests are {@code SimpleRequest} messages serialized by the stub's
 * marshaller on every call, and every response is parsed into a {@code SimpleResponse}, as a user's
 * code pays. Unary scenarios only. Thread-safe.
 */
final class SwitchboardStubClient extends UnaryStubClient {
  private final ManagedChannel channel;
  private final SwitchboardBenchmarkServiceGrpc.BenchmarkServiceBlockingStub blocking;
  private final SwitchboardBenchmarkServiceGrpc.BenchmarkServiceStub async;

  SwitchboardStubClient(int port, ExecutorMode executor, byte[] request) {
    super(executor, request);
    channel = SwitchboardRpcClient.channel(port, executor, pool);
    blocking = SwitchboardBenchmarkServiceGrpc.newBlockingStub(channel);
    async = SwitchboardBenchmarkServiceGrpc.newStub(channel);
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
    channel.close();
  }
}
