package dev.switchboard.channel.core.internal.transport.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings of a {@link NettyTransportFactory}: security, flow control, message and header
 * limits, keepalive and event loops. Every setter of the builder states its default.
 *
 * <p>Immutable.
 */
public final class NettyTransportSettings {

  /** The default maximum size of a received message: 4 MiB, as in grpc-java and grpc-go. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;
  /**
   * The HTTP/2 flow-control window per stream and per connection that connections start with: 1 MiB
   * (grpc-java's); unless set, it then grows with the link's bandwidth-delay product.
   */
  public static final int DEFAULT_FLOW_CONTROL_WINDOW = 1024 * 1024;
  /** The default maximum size of received header lists: 8 KiB (grpc-java's). */
  public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 8192;
  /** The default keepalive ping timeout: 20 s (grpc-java's). */
  public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
  /** The default connect timeout (TCP, TLS and SETTINGS): 20 s, gRPC's minimum connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private final boolean plaintext;
  private final byte[] trustRootsPem;
  private final byte[] clientCertChainPem;
  private final byte[] clientKeyPem;
  private final int flowControlWindow;
  private final boolean autoTuneFlowControl;
  private final int maxInboundMessageSize;
  private final int maxHeaderListSize;
  private final Duration keepAliveTime;
  private final Duration keepAliveTimeout;
  private final boolean keepAliveWithoutCalls;
  private final EventLoopGroup eventLoopGroup;
  private final Duration connectTimeout;

  private NettyTransportSettings(Builder b) {
    this.plaintext = b.plaintext;
    this.trustRootsPem = b.trustRootsPem;
    this.clientCertChainPem = b.clientCertChainPem;
    this.clientKeyPem = b.clientKeyPem;
    this.flowControlWindow = b.flowControlWindow;
    this.autoTuneFlowControl = b.autoTuneFlowControl;
    this.maxInboundMessageSize = b.maxInboundMessageSize;
    this.maxHeaderListSize = b.maxHeaderListSize;
    this.keepAliveTime = b.keepAliveTime;
    this.keepAliveTimeout = b.keepAliveTimeout;
    this.keepAliveWithoutCalls = b.keepAliveWithoutCalls;
    this.eventLoopGroup = b.eventLoopGroup;
    this.connectTimeout = b.connectTimeout;
  }

  /** Returns a builder with the defaults: TLS with the JDK's trust roots, no keepalive. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the settings with every default. */
  public static NettyTransportSettings defaults() {
    return newBuilder().build();
  }

  /** Returns a builder that starts with these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.plaintext = plaintext;
    b.trustRootsPem = trustRootsPem;
    b.clientCertChainPem = clientCertChainPem;
    b.clientKeyPem = clientKeyPem;
    b.flowControlWindow = flowControlWindow;
    b.autoTuneFlowControl = autoTuneFlowControl;
    b.maxInboundMessageSize = maxInboundMessageSize;
    b.maxHeaderListSize = maxHeaderListSize;
    b.keepAliveTime = keepAliveTime;
    b.keepAliveTimeout = keepAliveTimeout;
    b.keepAliveWithoutCalls = keepAliveWithoutCalls;
    b.eventLoopGroup = eventLoopGroup;
    b.connectTimeout = connectTimeout;
    return b;
  }

  /** Returns whether connections are plaintext HTTP/2 (h2c) rather than TLS. */
  public boolean plaintext() {
    return plaintext;
  }

  /** Returns the PEM trust roots, if set; otherwise the JDK's default trust store is used. */
  public Optional<InputStream> trustRootsPem() {
    return trustRootsPem == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(trustRootsPem));
  }

  /** Returns the PEM client certificate chain for mutual TLS, if set. */
  public Optional<InputStream> clientCertChainPem() {
    return clientCertChainPem == null
        ? Optional.empty() : Optional.of(new ByteArrayInputStream(clientCertChainPem));
  }

  /** Returns the PEM (PKCS#8) client private key for mutual TLS, if set. */
  public Optional<InputStream> clientKeyPem() {
    return clientKeyPem == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(clientKeyPem));
  }

  /**
   * Returns the HTTP/2 flow-control window, in bytes, per stream and per connection: fixed if
   * {@link Builder#flowControlWindow set}, otherwise where it starts (see
   * {@link #autoTuneFlowControl()}).
   */
  public int flowControlWindow() {
    return flowControlWindow;
  }

  /**
   * Returns whether each connection grows its windows from {@link #flowControlWindow()} towards
   * the bandwidth-delay product that PINGs measure (up to 8 MiB), as grpc-java and grpc-go do by
   * default: true unless a window was set.
   */
  public boolean autoTuneFlowControl() {
    return autoTuneFlowControl;
  }

  /** Returns the default maximum size of a received message, in bytes. */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  /** Returns the maximum size of a received header list, in bytes. */
  public int maxHeaderListSize() {
    return maxHeaderListSize;
  }

  /** Returns the keepalive ping interval, if keepalive is on. */
  public Optional<Duration> keepAliveTime() {
    return Optional.ofNullable(keepAliveTime);
  }

  /** Returns how long a keepalive ping may wait for its acknowledgement. */
  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  /** Returns whether keepalive pings are sent on connections that carry no stream. */
  public boolean keepAliveWithoutCalls() {
    return keepAliveWithoutCalls;
  }

  /** Returns the caller-provided event loops, if any; otherwise shared epoll or NIO loops are used. */
  public Optional<EventLoopGroup> eventLoopGroup() {
    return Optional.ofNullable(eventLoopGroup);
  }

  /** Returns how long connecting (TCP, TLS, the server's SETTINGS) may take before it fails. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  @Override
  public String toString() {
    return "NettyTransportSettings{plaintext=" + plaintext
        + ", customTrustRoots=" + (trustRootsPem != null)
        + ", clientCertificate=" + (clientCertChainPem != null)
        + ", flowControlWindow=" + flowControlWindow
        + ", autoTuneFlowControl=" + autoTuneFlowControl
        + ", maxInboundMessageSize=" + maxInboundMessageSize
        + ", maxHeaderListSize=" + maxHeaderListSize
        + ", keepAliveTime=" + keepAliveTime
        + ", keepAliveTimeout=" + keepAliveTimeout
        + ", keepAliveWithoutCalls=" + keepAliveWithoutCalls
        + ", connectTimeout=" + connectTimeout
        + ", eventLoopGroup=" + (eventLoopGroup == null ? "shared" : eventLoopGroup) + "}";
  }

  /**
   * Builds {@link NettyTransportSettings}. Not thread-safe.
   */
  public static final class Builder {
    private boolean plaintext;
    private byte[] trustRootsPem;
    private byte[] clientCertChainPem;
    private byte[] clientKeyPem;
    private int flowControlWindow = DEFAULT_FLOW_CONTROL_WINDOW;
    private boolean autoTuneFlowControl = true;
    private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private int maxHeaderListSize = DEFAULT_MAX_HEADER_LIST_SIZE;
    private Duration keepAliveTime;
    private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
    private boolean keepAliveWithoutCalls;
    private EventLoopGroup eventLoopGroup;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    private Builder() {}

    /** Uses plaintext HTTP/2 (prior knowledge, no TLS). Default: TLS. */
    public Builder usePlaintext() {
      this.plaintext = true;
      return this;
    }

    /** Uses TLS with ALPN {@code h2} and hostname verification. This is the default. */
    public Builder useTransportSecurity() {
      this.plaintext = false;
      return this;
    }

    /** Trusts the certificates of a PEM file. Default: the JDK's default trust store. */
    public Builder trustRoots(Path pemFile) {
      this.trustRootsPem = read(requireNonNull(pemFile, "pemFile"));
      return this;
    }

    /** Trusts the certificates of a PEM stream, read now and not closed. Default: the JDK's. */
    public Builder trustRoots(InputStream pem) {
      this.trustRootsPem = read(requireNonNull(pem, "pem"));
      return this;
    }

    /**
     * Presents a client certificate chain and its PKCS#8 key (PEM) for mutual TLS; the streams
     * are read now and not closed. Default: no client certificate.
     */
    public Builder clientCertificate(InputStream certChainPem, InputStream privateKeyPem) {
      this.clientCertChainPem = read(requireNonNull(certChainPem, "certChainPem"));
      this.clientKeyPem = read(requireNonNull(privateKeyPem, "privateKeyPem"));
      return this;
    }

    /** Presents a client certificate chain and key from PEM files. Default: none. */
    public Builder clientCertificate(Path certChainPem, Path privateKeyPem) {
      this.clientCertChainPem = read(requireNonNull(certChainPem, "certChainPem"));
      this.clientKeyPem = read(requireNonNull(privateKeyPem, "privateKeyPem"));
      return this;
    }

    /**
     * Fixes the HTTP/2 flow-control window per stream and per connection, which turns its tuning
     * off (as grpc-java's {@code flowControlWindow}). Default: 1 MiB, tuned to the link up to 8 MiB.
     */
    public Builder flowControlWindow(int bytes) {
      if (bytes < 65_535) {
        throw new IllegalArgumentException(
            "flowControlWindow: " + bytes + " (expected: 65535-2147483647)");
      }
      this.flowControlWindow = bytes;
      this.autoTuneFlowControl = false;
      return this;
    }

    /** Sets the default maximum size of a received message. Default: 4 MiB. */
    public Builder maxInboundMessageSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxInboundMessageSize: " + bytes + " (expected: >= 0)");
      }
      this.maxInboundMessageSize = bytes;
      return this;
    }

    /** Sets the maximum size of a received header list. Default: 8 KiB. */
    public Builder maxHeaderListSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxHeaderListSize: " + bytes + " (expected: > 0)");
      }
      this.maxHeaderListSize = bytes;
      return this;
    }

    /** Sends a keepalive ping every {@code time}. Default: off. */
    public Builder keepAliveTime(Duration time) {
      requireNonNull(time, "time");
      if (time.isNegative() || time.isZero()) {
        throw new IllegalArgumentException("keepAliveTime: " + time + " (expected: > 0)");
      }
      this.keepAliveTime = time;
      return this;
    }

    /** Closes the connection when a ping is not acknowledged within {@code timeout}. Default: 20 s. */
    public Builder keepAliveTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("keepAliveTimeout: " + timeout + " (expected: > 0)");
      }
      this.keepAliveTimeout = timeout;
      return this;
    }

    /** Sends keepalive pings also when no stream is open. Default: false. */
    public Builder keepAliveWithoutCalls(boolean enabled) {
      this.keepAliveWithoutCalls = enabled;
      return this;
    }

    /**
     * Runs connections on {@code group}, which the caller owns and shuts down; connections use
     * epoll sockets on an epoll group ({@code EpollIoHandler}) and NIO sockets on any other.
     * Default: event loops shared by every factory of the process, stopped when the last factory
     * closes: epoll where it is available (Linux x86_64), NIO elsewhere or when the system property
     * {@code switchboard.transport.nio} is {@code true}.
     */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.eventLoopGroup = requireNonNull(group, "group");
      return this;
    }

    /**
     * Fails a connection that is not ready (TCP connected, TLS done, the server's SETTINGS
     * received) within {@code timeout}. Default: 20 s.
     */
    public Builder connectTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("connectTimeout: " + timeout + " (expected: 1 ms to 24 days)");
      }
      this.connectTimeout = timeout;
      return this;
    }

    /** Returns the settings. */
    public NettyTransportSettings build() {
      if ((clientCertChainPem == null) != (clientKeyPem == null)) {
        throw new IllegalStateException("client certificate and key must be set together");
      }
      return new NettyTransportSettings(this);
    }

    private static byte[] read(Path file) {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read '" + file + "'", e);
      }
    }

    private static byte[] read(InputStream in) {
      try {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read PEM stream", e);
      }
    }
  }
}
