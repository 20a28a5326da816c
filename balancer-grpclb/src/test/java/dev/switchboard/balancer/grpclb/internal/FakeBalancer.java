package dev.switchboard.balancer.grpclb.internal;

import com.google.protobuf.ByteString;
import dev.switchboard.channel.testing.Await;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.lb.v1.ClientStats;
import io.grpc.lb.v1.FallbackResponse;
import io.grpc.lb.v1.InitialLoadBalanceResponse;
import io.grpc.lb.v1.LoadBalanceRequest;
import io.grpc.lb.v1.LoadBalanceResponse;
import io.grpc.lb.v1.LoadBalancerGrpc;
import io.grpc.lb.v1.ServerList;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real grpclb balancer: grpc-java's {@code LoadBalancerImplBase} on a grpc-java Netty server on
 * 127.0.0.1, driven by the test. Every stream is answered with the {@linkplain #onConnect
 * responses set for new streams}; {@link #send} adds more to the open streams. It records the
 * initial requests and the client stats it receives, and can be stopped and started again on the
 * same port.
 *
 * <p>Public, and shipped in this module's test jar, for the image tests of the distribution.
 *
 * <p>Thread-safe.
 */
public final class FakeBalancer implements AutoCloseable {
  private final List<String> names = new CopyOnWriteArrayList<>();
  private final List<String> authorities = new CopyOnWriteArrayList<>();
  private final List<ClientStats> stats = new CopyOnWriteArrayList<>();
  private final List<StreamObserver<LoadBalanceResponse>> open = new CopyOnWriteArrayList<>();
  private volatile List<LoadBalanceResponse> onConnect = List.of();
  private int port;
  private Server server;

  private FakeBalancer() {}

  /** Starts a balancer that answers every new stream with {@code onConnect}. */
  public static FakeBalancer start(LoadBalanceResponse... onConnect) {
    FakeBalancer balancer = new FakeBalancer();
    balancer.onConnect(onConnect);
    balancer.restart();
    return balancer;
  }

  /** Sets the responses every new stream gets after its initial request. */
  public void onConnect(LoadBalanceResponse... responses) {
    onConnect = List.of(responses);
  }

  /** Starts the server (again, on the same port after the first time). */
  public synchronized void restart() {
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
          .addService(ServerInterceptors.intercept(new LoadBalancerGrpc.LoadBalancerImplBase() {
            @Override
            public StreamObserver<LoadBalanceRequest> balanceLoad(StreamObserver<LoadBalanceResponse> responses) {
              return new StreamObserver<>() {
                @Override
                public void onNext(LoadBalanceRequest request) {
                  if (request.hasInitialRequest()) {
                    synchronized (responses) {
                      for (LoadBalanceResponse r : onConnect) {
                        responses.onNext(r);
                      }
                    }
                    open.add(responses);
                    names.add(request.getInitialRequest().getName());
                  } else if (request.hasClientStats()) {
                    stats.add(request.getClientStats());
                  }
                }

                @Override
                public void onError(Throwable t) {
                  open.remove(responses);
                }

                @Override
                public void onCompleted() {
                  open.remove(responses);
                  responses.onCompleted();
                }
              };
            }
          }, new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
                ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
              authorities.add(String.valueOf(call.getAuthority()));
              return next.startCall(call, headers);
            }
          }))
          .build()
          .start();
      port = server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server, failing its streams. */
  public synchronized void stop() {
    if (server != null) {
      for (StreamObserver<LoadBalanceResponse> s : open) {
        try {
          s.onError(Status.UNAVAILABLE.withDescription("balancer stopping").asRuntimeException());
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
      open.clear();
      GrpcBackend.stopNow(server);
      server = null;
    }
  }

  /** Sends {@code response} on every open stream, waiting up to 10 s for one to be open. */
  public void send(LoadBalanceResponse response) {
    try {
      Await.until("a stream open on the balancer", Duration.ofSeconds(10), () -> !open.isEmpty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    for (StreamObserver<LoadBalanceResponse> s : open) {
      synchronized (s) {
        s.onNext(response);
      }
    }
  }

  /** Ends every open stream with OK, as a balancer going away cleanly would. */
  public void completeStreams() {
    for (StreamObserver<LoadBalanceResponse> s : open) {
      synchronized (s) {
        s.onCompleted();
      }
    }
    open.clear();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** Returns the names of the initial requests received, one per stream, in order. */
  public List<String> names() {
    return new ArrayList<>(names);
  }

  /** Returns the {@code :authority} of every stream, in order. */
  public List<String> authorities() {
    return new ArrayList<>(authorities);
  }

  /** Returns the client stats received, in order. */
  public List<ClientStats> stats() {
    return new ArrayList<>(stats);
  }

  public int openStreams() {
    return open.size();
  }

  @Override
  public void close() {
    stop();
  }

  // ---- responses ----

  public static LoadBalanceResponse initial(Duration reportInterval) {
    return LoadBalanceResponse.newBuilder()
        .setInitialResponse(InitialLoadBalanceResponse.newBuilder()
            .setClientStatsReportInterval(com.google.protobuf.Duration.newBuilder()
                .setSeconds(reportInterval.getSeconds()).setNanos(reportInterval.getNano())))
        .build();
  }

  public static LoadBalanceResponse fallback() {
    return LoadBalanceResponse.newBuilder().setFallbackResponse(FallbackResponse.getDefaultInstance()).build();
  }

  public static LoadBalanceResponse serverList(io.grpc.lb.v1.Server... servers) {
    return LoadBalanceResponse.newBuilder().setServerList(ServerList.newBuilder().addAllServers(List.of(servers))).build();
  }

  public static io.grpc.lb.v1.Server backend(InetSocketAddress address, String token) {
    return io.grpc.lb.v1.Server.newBuilder()
        .setIpAddress(ByteString.copyFrom(address.getAddress().getAddress()))
        .setPort(address.getPort())
        .setLoadBalanceToken(token)
        .build();
  }

  public static io.grpc.lb.v1.Server drop(String token) {
    return io.grpc.lb.v1.Server.newBuilder().setDrop(true).setLoadBalanceToken(token).build();
  }
}
