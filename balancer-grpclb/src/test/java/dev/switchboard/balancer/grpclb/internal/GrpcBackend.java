package dev.switchboard.balancer.grpclb.internal;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real backend: a grpc-java Netty server on 127.0.0.1 serving the kit's bytes method, which
 * answers with the backend's name, and recording the {@code lb-token} values of every call. It can
 * be stopped and started again on the same port.
 *
 * <p>Thread-safe.
 */
final class GrpcBackend implements AutoCloseable {
  /** The kit's {@code FakeBalancerClientConn.TEST_METHOD}, which our channel calls. */
  static final String METHOD = dev.switchboard.channel.testing.FakeBalancerClientConn.TEST_METHOD.fullMethodName();
  static final io.grpc.Metadata.Key<String> LB_TOKEN = io.grpc.Metadata.Key.of("lb-token", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<byte[], byte[]> CALL = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(METHOD)
      .setRequestMarshaller(BYTES)
      .setResponseMarshaller(BYTES)
      .build();

  private final String name;
  /** The loopback address it listens on: 127.0.0.1, or ::1 for a backend listed by its IPv6 address. */
  private final String host;
  private final List<List<String>> tokens = new CopyOnWriteArrayList<>();
  private int port;
  private Server server;

  private GrpcBackend(String name, String host) {
    this.name = name;
    this.host = host;
  }

  static GrpcBackend start(String name) {
    return startOn(name, "127.0.0.1");
  }

  /** Starts a backend listening on {@code host}, a loopback address ({@code "::1"} for IPv6). */
  static GrpcBackend startOn(String name, String host) {
    GrpcBackend backend = new GrpcBackend(name, host);
    backend.restart();
    return backend;
  }

  synchronized void restart() {
    byte[] answer = name.getBytes(StandardCharsets.UTF_8);
    ServerServiceDefinition service = ServerServiceDefinition.builder(CALL.getServiceName())
        .addMethod(CALL, ServerCalls.asyncUnaryCall((request, responses) -> {
          responses.onNext(answer);
          responses.onCompleted();
        }))
        .build();
    ServerInterceptor recordTokens = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        List<String> values = new ArrayList<>();
        Iterable<String> all = headers.getAll(LB_TOKEN);
        if (all != null) {
          all.forEach(values::add);
        }
        tokens.add(List.copyOf(values));
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {};
      }
    };
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
          .addService(ServerInterceptors.intercept(service, recordTokens))
          .build()
          .start();
      port = server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void stop() {
    if (server != null) {
      stopNow(server);
      server = null;
    }
  }

  /** Stops {@code server} now and waits up to 10 s for it to terminate. */
  static void stopNow(Server server) {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String name() {
    return name;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  /** Returns the {@code lb-token} values of every call served, one list per call. */
  List<List<String>> tokens() {
    return new ArrayList<>(tokens);
  }

  int calls() {
    return tokens.size();
  }

  void clear() {
    tokens.clear();
  }

  @Override
  public void close() {
    stop();
  }
}
