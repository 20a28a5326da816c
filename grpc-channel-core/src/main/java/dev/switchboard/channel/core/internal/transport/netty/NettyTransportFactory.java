package dev.switchboard.channel.core.internal.transport.netty;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.core.internal.transport.ClientTransportFactory;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * Creates HTTP/2 connections on Netty, plaintext or TLS, as {@link NettyTransportSettings} say.
 *
 * <p>Thread-safe.
 */
public final class NettyTransportFactory implements ClientTransportFactory {

  private final NettyTransportSettings settings;
  private final EventLoopGroup group;
  private final boolean sharedGroup;
  private final SslContext sslContext;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The keepalive time for new connections; doubled on a GOAWAY too_many_pings, as grpc-java. */
  private final AtomicLong keepAliveTimeNanos;

  /**
   * Creates a factory.
   *
   * @throws IllegalArgumentException if the TLS material cannot be read
   */
  public NettyTransportFactory(NettyTransportSettings settings) {
    this.settings = requireNonNull(settings, "settings");
    this.sslContext = settings.plaintext() ? null : buildSslContext(settings);
    this.sharedGroup = settings.eventLoopGroup().isEmpty();
    this.group = settings.eventLoopGroup().orElseGet(SharedEventLoops::acquire);
    this.keepAliveTimeNanos = new AtomicLong(settings.keepAliveTime().map(Duration::toNanos).orElse(0L));
  }

  private static SslContext buildSslContext(NettyTransportSettings settings) {
    SslContextBuilder b = SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .endpointIdentificationAlgorithm("HTTPS")
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2));
    try {
      if (settings.trustRootsPem().isPresent()) {
        try (InputStream in = settings.trustRootsPem().get()) {
          b.trustManager(in);
        }
      }
      if (settings.clientCertChainPem().isPresent()) {
        try (InputStream cert = settings.clientCertChainPem().get();
            InputStream key = settings.clientKeyPem().orElseThrow()) {
          b.keyManager(cert, key);
        }
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS settings: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ManagedClientTransport newClientTransport(SocketAddress address, TransportOptions options) {
    requireNonNull(address, "address");
    requireNonNull(options, "options");
    if (closed.get()) {
      throw new IllegalStateException("factory is closed");
    }
    return new NettyClientTransport(address, options, settings, group.next(), sslContext,
        keepAliveTimeNanos.get(), this::tooManyPings);
  }

  /** Returns the event loops themselves: they are a scheduler the channel may use, not shut down. */
  @Override
  public ScheduledExecutorService scheduledExecutor() {
    return group;
  }

  /** A server said our pings came too often at {@code usedNanos}: later connections ping half as often. */
  private void tooManyPings(long usedNanos) {
    long doubled = usedNanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : usedNanos * 2;
    keepAliveTimeNanos.compareAndSet(usedNanos, doubled);
  }

  /** Returns the keepalive time new connections use, in nanoseconds (0: off). */
  long keepAliveTimeNanos() {
    return keepAliveTimeNanos.get();
  }

  /** Returns the settings. */
  public NettyTransportSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && sharedGroup) {
      SharedEventLoops.release(group);
    }
  }

  @Override
  public String toString() {
    return "NettyTransportFactory{" + settings + "}";
  }
}
