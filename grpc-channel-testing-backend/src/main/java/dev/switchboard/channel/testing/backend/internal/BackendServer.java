package dev.switchboard.channel.testing.backend.internal;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The Netty side of a test backend: an HTTP/2 server (h2c with prior knowledge, or TLS with ALPN
 * {@code h2}) whose streams are served by {@link GrpcStreamHandler}. Each {@link #start} creates a
 * one-thread event loop group and each stop shuts it down, so a stopped backend holds no thread.
 *
 * <p>Not thread-safe: the public {@code TestBackend} serializes calls.
 */
public final class BackendServer {

  private final BackendState state;
  private final SslContext sslContext;
  private final Duration gracePeriod;
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
  private EventLoopGroup group;
  private Channel listener;

  /**
   * Creates a server; {@code certChain} and {@code privateKey} (PEM, PKCS#8 key) are both null for
   * plaintext.
   *
   * @throws IllegalArgumentException if the certificate or key cannot be read
   */
  public BackendServer(BackendState state, Path certChain, Path privateKey, Duration gracePeriod) {
    this.state = requireNonNull(state, "state");
    this.gracePeriod = requireNonNull(gracePeriod, "gracePeriod");
    this.sslContext = certChain == null ? null : sslContext(certChain, privateKey);
  }

  private static SslContext sslContext(Path certChain, Path privateKey) {
    try {
      return SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile())
          .applicationProtocolConfig(new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_2))
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("tls: cannot use certificate chain " + certChain
          + " and private key " + privateKey + " (expected: PEM files, the key in PKCS#8)", e);
    }
  }

  /** Returns whether TLS is on. */
  public boolean isTls() {
    return sslContext != null;
  }

  /**
   * Binds to {@code address} and serves until stopped.
   *
   * @return the bound address (with the chosen port when {@code address} had port 0)
   * @throws UncheckedIOException if the address cannot be bound
   */
  public InetSocketAddress start(InetSocketAddress address) {
    group = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("test-backend-" + state.name(), true), NioIoHandler.newFactory());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        // Lets a restarted backend bind its old port while closed connections linger in TIME_WAIT.
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            ch.closeFuture().addListener(f -> connections.remove(ch));
            if (sslContext != null) {
              ch.pipeline().addLast(sslContext.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                .gracefulShutdownTimeoutMillis(gracePeriod.toMillis())
                .build());
            ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new GrpcStreamHandler(state));
              }
            }));
            ch.pipeline().addLast(new GracefulShutdownHandler(gracePeriod));
            ch.pipeline().addLast(ConnectionResetHandler.INSTANCE);
          }
        });
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDownGroup();
      Throwable cause = bound.cause();
      IOException io = cause instanceof IOException e ? e : new IOException(cause);
      throw new UncheckedIOException("test backend " + state.name() + ": cannot bind " + address, io);
    }
    listener = bound.channel();
    return (InetSocketAddress) listener.localAddress();
  }

  /** Closes the listener and every connection at once (no GOAWAY), and waits until they are closed. */
  public void stop() {
    listener.close().syncUninterruptibly();
    List<ChannelFuture> closing = new ArrayList<>();
    for (Channel ch : connections) {
      // Closing from the first handler skips the HTTP/2 codec's graceful close: the socket just goes.
      // A connection that the client closed meanwhile may have an empty pipeline already.
      ChannelHandlerContext first = ch.pipeline().firstContext();
      closing.add(first != null ? first.close() : ch.close());
    }
    closing.forEach(ChannelFuture::syncUninterruptibly);
    shutDownGroup();
  }

  /**
   * Closes the listener, shuts every connection down with a double GOAWAY ({@link
   * GracefulShutdownHandler}) and closes each one when its streams have finished or the grace
   * period has passed.
   *
   * @return completes when every connection is closed and the event loop is shut down
   */
  public CompletableFuture<Void> shutdownGracefully() {
    listener.close().syncUninterruptibly();
    EventLoopGroup closingGroup = group;
    group = null;
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Channel ch : connections) {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      ch.closeFuture().addListener(f -> closed.complete(null));
      closing.add(closed);
      ch.eventLoop().execute(() -> {
        GracefulShutdownHandler shutdown = ch.pipeline().get(GracefulShutdownHandler.class);
        if (shutdown == null) {
          // Still initializing (or being torn down): nothing in flight to wait for.
          ch.close();
        } else {
          shutdown.begin();
        }
      });
    }
    return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
        .thenCompose(v -> {
          CompletableFuture<Void> terminated = new CompletableFuture<>();
          closingGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS)
              .addListener(f -> terminated.complete(null));
          return terminated;
        });
  }

  private void shutDownGroup() {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      group = null;
    }
  }
}
