package dev.switchboard.channel.core.interop;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.TlsTesting;
import io.grpc.testing.integration.TestServiceImpl;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java's interop {@code TestServiceImpl} on a real grpc-java Netty server on 127.0.0.1, in the
 * test JVM: plaintext, TLS with grpc-java's {@code server1} certificate (valid for
 * {@code *.test.google.fr}), or mutual TLS requiring a client certificate signed by {@code ca.pem}.
 *
 * <p>Reusable by any test of this module (the transport's, and the channel's interop cases):
 * {@link #address()} is where to connect; {@link #lastHeaders()}, {@link #lastDeadline()} and
 * {@link #lastAuthority()} show what the server received for the last call.
 *
 * <p>Thread-safe.
 */
public final class GrpcJavaInteropServer implements AutoCloseable {

  /** An authority that {@code server1.pem} is valid for. */
  public static final String TLS_AUTHORITY = "foo.test.google.fr";

  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "interop-server-executor");
    t.setDaemon(true);
    return t;
  });
  private final Server server;
  private volatile io.grpc.Metadata lastHeaders;
  private volatile Deadline lastDeadline;
  private volatile String lastAuthority;
  private final ServerInterceptor recorder = new ServerInterceptor() {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        io.grpc.Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      lastHeaders = headers;
      lastDeadline = Context.current().getDeadline();
      lastAuthority = call.getAuthority();
      return next.startCall(call, headers);
    }
  };

  private GrpcJavaInteropServer(boolean tls, boolean requireClientCert, int flowControlWindow) {
    this(tls, requireClientCert, flowControlWindow, 0);
  }

  private GrpcJavaInteropServer(boolean tls, boolean requireClientCert, int flowControlWindow,
      int maxConcurrentCalls) {
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(
            ServerInterceptors.intercept(new TestServiceImpl(executor), TestServiceImpl.interceptors()),
            recorder))
        .maxInboundMessageSize(16 * 1024 * 1024);
    if (maxConcurrentCalls > 0) {
      b.maxConcurrentCallsPerConnection(maxConcurrentCalls);
    }
    if (flowControlWindow > 0) {
      b.flowControlWindow(flowControlWindow);
    }
    if (tls) {
      try (InputStream cert = TlsTesting.loadCert("server1.pem");
          InputStream key = TlsTesting.loadCert("server1.key");
          InputStream ca = TlsTesting.loadCert("ca.pem")) {
        SslContextBuilder ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(cert, key),
            SslProvider.JDK);
        if (requireClientCert) {
          ssl.trustManager(ca).clientAuth(ClientAuth.REQUIRE);
        }
        b.sslContext(ssl.build());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      this.server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a plaintext server. */
  public static GrpcJavaInteropServer plaintext() {
    return new GrpcJavaInteropServer(false, false, 0);
  }

  /** Starts a plaintext server with the given HTTP/2 flow-control window. */
  public static GrpcJavaInteropServer plaintext(int flowControlWindow) {
    return new GrpcJavaInteropServer(false, false, flowControlWindow);
  }

  /** Starts a plaintext server announcing MAX_CONCURRENT_STREAMS {@code max}. */
  public static GrpcJavaInteropServer plaintextWithMaxConcurrentCalls(int max) {
    return new GrpcJavaInteropServer(false, false, 0, max);
  }

  /** Starts a TLS server with {@code server1.pem}. */
  public static GrpcJavaInteropServer tls() {
    return new GrpcJavaInteropServer(true, false, 0);
  }

  /** Starts a TLS server that requires a client certificate signed by {@code ca.pem}. */
  public static GrpcJavaInteropServer mutualTls() {
    return new GrpcJavaInteropServer(true, true, 0);
  }

  /** Opens one of grpc-java's test certificates ({@code ca.pem}, {@code client.pem}, …). */
  public static InputStream cert(String name) {
    return TlsTesting.loadCert(name);
  }

  /** Returns where the server listens. */
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.getPort());
  }

  /** Returns the request headers of the last call the server saw. */
  public io.grpc.Metadata lastHeaders() {
    return lastHeaders;
  }

  /** Returns the deadline (from {@code grpc-timeout}) of the last call, or null. */
  public Deadline lastDeadline() {
    return lastDeadline;
  }

  /** Returns the {@code :authority} of the last call. */
  public String lastAuthority() {
    return lastAuthority;
  }

  /** Starts a graceful shutdown: GOAWAY, in-flight calls finish, new ones are refused. */
  public void shutdownGracefully() {
    server.shutdown();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
    executor.shutdownNow();
  }
}
