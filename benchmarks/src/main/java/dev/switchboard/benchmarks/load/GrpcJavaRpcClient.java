package dev.switchboard.benchmarks.load;

import dev.switchboard.benchmarks.GrpcJavaMethods;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * grpc-java's client as its users ship it: {@code grpc-netty-shaded} (native epoll unless
 * {@code -Dio.grpc.netty.shaded.io.netty.transport.noNative=true}), {@code grpc-stub}'s
 * {@link ClientCalls}, a byte array marshaller. The executor comes from {@link ExecutorMode}
 * through {@code NettyChannelBuilder} ({@code directExecutor()}, {@code executor(pool)}, or
 * nothing: grpc-java's cached pool). Retries stay on, as shipped, unless the client is made
 * without them ({@code disableRetry()}, the {@code grpc-java-noretry} row). Thread-safe.
 */
final class GrpcJavaRpcClient implements RpcClient {

  private static final MethodDescriptor<byte[], byte[]> UNARY_METHOD = GrpcJavaMethods.method(UNARY, MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<byte[], byte[]> BIDI_METHOD =
      GrpcJavaMethods.method(STREAMING, MethodDescriptor.MethodType.BIDI_STREAMING);
  private static final MethodDescriptor<byte[], byte[]> SERVER_STREAMING_METHOD =
      GrpcJavaMethods.method(STREAMING_FROM_SERVER, MethodDescriptor.MethodType.SERVER_STREAMING);

  private final ManagedChannel channel;
  private volatile byte[] request;
  /** The pool of {@link ExecutorMode#FJP}, shut down with the client; null in the other modes. */
  private final ForkJoinPool pool;

  GrpcJavaRpcClient(int port, ExecutorMode executor, byte[] request, boolean retry) {
    this.request = request;
    pool = executor == ExecutorMode.FJP ? ExecutorMode.newFifoPool() : null;
    this.channel = channel(port, executor, pool, retry);
  }

  /** Shuts {@code channel} down now, waiting 5 s at most. */
  static void shutdown(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns grpc-java's channel to the server with the executor of {@code executor} ({@code pool} for FJP). */
  static ManagedChannel channel(int port, ExecutorMode executor, ForkJoinPool pool, boolean retry) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
    if (!retry) {
      builder.disableRetry();
    }
    switch (executor) {
      case DIRECT -> builder.directExecutor();
      case FJP -> builder.executor(pool);
      case DEFAULTS -> { } // grpc-java's default executor
    }
    return builder.build();
  }


  @Override
  public void useRequest(byte[] request) {
    this.request = request;
  }
  @Override
  public void blockingUnary() {
    ClientCalls.blockingUnaryCall(channel, UNARY_METHOD, CallOptions.DEFAULT, request);
  }

  @Override
  public void asyncUnary(Completion done) {
    ClientCalls.asyncUnaryCall(channel.newCall(UNARY_METHOD, CallOptions.DEFAULT), request,
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {}

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
    Responses responses = new Responses(onResponse, onError);
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(BIDI_METHOD, CallOptions.DEFAULT), responses);
    return new Stream() {
      @Override
      public void send() {
        requests.onNext(request);
      }

      @Override
      public void cancel() {
        responses.requests.cancel("load run over", null);
      }
    };
  }

  @Override
  public Stream serverStreaming(Runnable onMessage, Consumer<Throwable> onError) {
    Responses responses = new Responses(onMessage, onError);
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(SERVER_STREAMING_METHOD, CallOptions.DEFAULT), request, responses);
    return new Stream() {
      @Override
      public void send() {
        throw new UnsupportedOperationException("server streaming takes one request");
      }

      @Override
      public void cancel() {
        responses.requests.cancel("load run over", null);
      }
    };
  }

  /** Counts each response of a stream; keeps the request side to cancel it. */
  private static final class Responses implements ClientResponseObserver<byte[], byte[]> {
    private final Runnable onResponse;
    private final Consumer<Throwable> onError;
    private volatile ClientCallStreamObserver<byte[]> requests;

    Responses(Runnable onResponse, Consumer<Throwable> onError) {
      this.onResponse = onResponse;
      this.onError = onError;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
      requests = requestStream;
    }

    @Override
    public void onNext(byte[] value) {
      onResponse.run();
    }

    @Override
    public void onError(Throwable t) {
      onError.accept(t);
    }

    @Override
    public void onCompleted() {}
  }

  @Override
  public void close() {
    shutdown(channel);
    if (pool != null) {
      pool.shutdown();
    }
  }
}
