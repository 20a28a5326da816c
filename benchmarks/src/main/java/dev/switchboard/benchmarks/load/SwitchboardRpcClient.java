package dev.switchboard.benchmarks.load;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.stub.ClientCallStreamObserver;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.api.stub.ClientResponseObserver;
import dev.switchboard.channel.api.stub.StreamObserver;
import dev.switchboard.channel.core.ChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * Our channel through its public API only: {@link ChannelBuilder}, {@link ClientCalls}, a byte
 * array marshaller. The executor comes from {@link ExecutorMode} through the builder
 * ({@code directExecutor()}, {@code executor(pool)}, or nothing: our shared FIFO
 * {@code ForkJoinPool}). Thread-safe.
 */
final class SwitchboardRpcClient implements RpcClient {

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private static final MethodDescriptor<byte[], byte[]> UNARY_METHOD = method(UNARY, MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<byte[], byte[]> BIDI_METHOD =
      method(STREAMING, MethodDescriptor.MethodType.BIDI_STREAMING);
  private static final MethodDescriptor<byte[], byte[]> SERVER_STREAMING_METHOD =
      method(STREAMING_FROM_SERVER, MethodDescriptor.MethodType.SERVER_STREAMING);

  private final ManagedChannel channel;
  private volatile byte[] request;
  /** The pool of {@link ExecutorMode#FJP}, shut down with the client; null in the other modes. */
  private final ForkJoinPool pool;

  SwitchboardRpcClient(int port, ExecutorMode executor, byte[] request) {
    this.request = request;
    pool = executor == ExecutorMode.FJP ? ExecutorMode.newFifoPool() : null;
    this.channel = channel(port, executor, pool);
  }

  /** Returns our channel to the server with the executor of {@code executor} ({@code pool} for FJP). */
  static ManagedChannel channel(int port, ExecutorMode executor, ForkJoinPool pool) {
    ChannelBuilder builder = ChannelBuilder.forTarget("127.0.0.1:" + port).usePlaintext();
    switch (executor) {
      case DIRECT -> builder.directExecutor();
      case FJP -> builder.executor(pool);
      case DEFAULTS -> { } // our default executor
    }
    return builder.build();
  }

  private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.newBuilder(BYTES, BYTES).fullMethodName(name).type(type).build();
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
    ClientCalls.unaryCall(channel, UNARY_METHOD, CallOptions.DEFAULT, request, new StreamObserver<>() {
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
    ClientCallStreamObserver<byte[]> requests = ClientCalls.bidiStreamingCall(
        channel, BIDI_METHOD, CallOptions.DEFAULT, new Responses(onResponse, onError));
    return new Stream() {
      @Override
      public void send() {
        requests.onNext(request);
      }

      @Override
      public void cancel() {
        requests.cancel("load run over", null);
      }
    };
  }

  @Override
  public Stream serverStreaming(Runnable onMessage, Consumer<Throwable> onError) {
    Responses responses = new Responses(onMessage, onError);
    ClientCalls.serverStreamingCall(channel, SERVER_STREAMING_METHOD, CallOptions.DEFAULT, request, responses);
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
    channel.close();
    if (pool != null) {
      pool.shutdown();
    }
  }
}
