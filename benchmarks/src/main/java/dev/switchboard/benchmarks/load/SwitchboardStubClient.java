package dev.switchboard.benchmarks.load;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.stub.StreamObserver;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * Our channel through the stubs our protoc plugin generates from grpc-java's benchmark
 * {@code services.proto}: requests are {@code SimpleRequest} messages (parsed once from the
 * harness's bytes), serialized by the stub's marshaller on every call, and every response is parsed
 * into a {@code SimpleResponse}, as a user's code pays. Unary scenarios only. Thread-safe.
 */
final class SwitchboardStubClient implements RpcClient {
  private final ManagedChannel channel;
  private final SwitchboardBenchmarkServiceGrpc.BenchmarkServiceBlockingStub blocking;
  private final SwitchboardBenchmarkServiceGrpc.BenchmarkServiceStub async;
  private final ForkJoinPool pool;
  private volatile SimpleRequest request;

  SwitchboardStubClient(int port, ExecutorMode executor, byte[] request) {
    pool = executor == ExecutorMode.FJP ? ExecutorMode.newFifoPool() : null;
    channel = SwitchboardRpcClient.channel(port, executor, pool);
    blocking = SwitchboardBenchmarkServiceGrpc.newBlockingStub(channel);
    async = SwitchboardBenchmarkServiceGrpc.newStub(channel);
    useRequest(request);
  }

  @Override
  public void useRequest(byte[] request) {
    this.request = parse(request);
  }

  static SimpleRequest parse(byte[] request) {
    try {
      return SimpleRequest.parseFrom(request);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a SimpleRequest", e);
    }
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
    channel.close();
    if (pool != null) {
      pool.shutdown();
    }
  }
}
