package dev.switchboard.channel.core.internal.transport.netty;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener.RpcProgress;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One HTTP/2 connection to one address, plaintext or TLS (ALPN {@code h2}), carrying gRPC streams.
 *
 * <p>All connection state lives on the connection's event loop; public methods hand work to it.
 * Listener callbacks come from the event loop, each at most once, in the order the seam states.
 *
 * <p>Thread-safe.
 */
final class NettyClientTransport implements ManagedClientTransport {

  private static final System.Logger LOG = System.getLogger(NettyClientTransport.class.getName());
  private static final AtomicLong IDS = new AtomicLong();
  /** The least a waiting stream is given of what the connection may send: one full DATA frame. */
  private static final int MIN_ALLOCATION_CHUNK = Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;
  /**
   * Netty's HTTP/2 flow controller writes DATA only up to what the channel takes before it turns
   * unwritable; at Netty's default mark (64 KiB) a larger message leaves in pieces, a write and a
   * writability round trip each. Streams' readiness does not depend on the channel's writability
   * (it counts each stream's own queued bytes), so a high mark costs no memory the streams do not
   * already hold.
   */
  private static final WriteBufferWaterMark WRITE_BUFFER_WATER_MARK =
      new WriteBufferWaterMark(512 * 1024, 1024 * 1024);
  /** The system call that a native transport's error message starts with. */
  private static final Pattern NATIVE_CALL_PREFIX =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

  private final SocketAddress address;
  private final TransportOptions options;
  private final NettyTransportSettings settings;
  private final EventLoop eventLoop;
  private final SslContext sslContext;
  private final long id = IDS.incrementAndGet();
  /** Keepalive period, 0 when off; fixed per connection (the factory may lengthen it for later ones). */
  private final long keepAliveTimeNanos;
  private final java.util.function.LongConsumer tooManyPings;

  /** Header values of every stream, built once per connection. */
  private final AsciiString authorityHeader;
  private final AsciiString userAgentHeader;
  private volatile Channel channel;
  private volatile WriteQueue writeQueue;
  private volatile ClientHandler handler;
  /** Set once, on the event loop, when the connection becomes ready; every stream hands it out. */
  private volatile Attributes attributes = Attributes.EMPTY;
  /** The TLS server's certificate, to check per-call authority overrides against; event loop. */
  private X509Certificate peerCertificate;

  // Event-loop state.
  private Listener listener;
  /** By stream id; a primitive-keyed map, so that finding a frame's stream boxes nothing. */
  private final IntObjectMap<NettyClientStream> streams = new IntObjectHashMap<>();
  private boolean ready;
  private Status shutdownStatus;
  private boolean shutdownNotified;
  private boolean terminated;
  /** Added to the loop's termination while the channel is open: see {@link #closeWithLoop}. */
  private final GenericFutureListener<Future<Object>> closeWithLoop = this::closeWithLoop;
  private Status closeCause;
  private ScheduledFuture<?> keepAliveTimer;
  private ScheduledFuture<?> readyTimer;
  private ScheduledFuture<?> keepAliveTimeout;
  private long lastReadNanos = System.nanoTime();

  NettyClientTransport(SocketAddress address, TransportOptions options, NettyTransportSettings settings,
      EventLoop eventLoop, SslContext sslContext, long keepAliveTimeNanos,
      java.util.function.LongConsumer tooManyPings) {
    this.keepAliveTimeNanos = keepAliveTimeNanos;
    this.tooManyPings = tooManyPings;
    this.address = address;
    this.options = options;
    this.settings = settings;
    this.eventLoop = eventLoop;
    this.sslContext = sslContext;
    this.authorityHeader = new AsciiString(options.authority());
    this.userAgentHeader = new AsciiString(options.userAgent());
  }

  @Override
  public void start(Listener listener) {
    requireNonNull(listener, "listener");
    eventLoop.execute(() -> startOnLoop(listener));
  }

  private void startOnLoop(Listener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("transport already started: " + this);
    }
    this.listener = listener;
    if (shutdownStatus != null) { // shut down before it started
      notifyShutdown(shutdownStatus);
      notifyTerminated();
      return;
    }
    ClientHandler http2 = newHandler();
    this.handler = http2;
    Bootstrap b = new Bootstrap()
        .group(eventLoop)
        // The caller's group may be of either kind: the channel class must match its loops.
        .channel(NettyIo.of(eventLoop).channelClass())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER_WATER_MARK)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            if (sslContext == null) {
              ch.pipeline().addLast(http2);
            } else {
              String host = authorityHost();
              SslHandler ssl = sslContext.newHandler(ch.alloc(), host, authorityPort());
              ch.pipeline().addLast(ssl, new TlsNegotiation(ssl, http2));
            }
          }
        });
    ChannelFuture connect = b.connect(address);
    this.channel = connect.channel();
    // The connect timeout bounds the whole handshake (TCP, TLS, the server's SETTINGS): a peer
    // that accepts and then stays silent must not leave the transport unready forever.
    Duration limit = settings.connectTimeout();
    readyTimer = eventLoop.schedule(() -> {
      if (!ready && closeCause == null) {
        String stage = !channel.isActive() ? "TCP connect timed out"
            : http2.ctx() == null ? "TLS handshake not done" : "no HTTP/2 SETTINGS from the server";
        Status notReady = Status.UNAVAILABLE.withDescription(
            "connection to " + address + " not ready within " + limit + ": " + stage);
        closeCause = channel.isActive() ? notReady
            : notReady.withCause(new ConnectTimeoutException(stage + " to " + address));
        channel.close();
      }
    }, limit.toNanos(), TimeUnit.NANOSECONDS);
    this.writeQueue = new WriteQueue(channel);
    channel.closeFuture().addListener(f -> {
      // The channel may close before the connect future's listeners run: read the cause here.
      if (connect.isDone() && !connect.isSuccess() && closeCause == null) {
        closeCause = Status.UNAVAILABLE
            .withDescription("cannot connect to " + address + ": " + describe(connect.cause()))
            .withCause(asConnectException(connect.cause()));
      }
      eventLoop.terminationFuture().removeListener(closeWithLoop); // or the loop would keep this
      onChannelClosed();
    });
    eventLoop.terminationFuture().addListener(closeWithLoop);
  }

  /**
   * Netty can end a loop without closing its channels: a shutdown with no quiet period that comes
   * between two checks of the loop's run. No close event would ever come, and the streams would
   * wait for good; they are closed from the loop's termination instead. No loop thread runs by
   * then, so nothing else touches this transport's state.
   */
  private void closeWithLoop(Future<Object> loopTermination) {
    if (!terminated) {
      if (closeCause == null) {
        closeCause = Status.UNAVAILABLE.withDescription("connection to " + address
            + " is gone: its event loop shut down without closing it");
      }
      onChannelClosed();
    }
  }

  private String authorityHost() {
    return AuthorityVerifier.host(options.authority());
  }

  private int authorityPort() {
    return address instanceof InetSocketAddress ? ((InetSocketAddress) address).getPort() : -1;
  }

  /**
   * Returns the failure of a TCP connect as a {@link ConnectException} (wrapping it if need be),
   * which is how the channel tells a connection that never reached the server from one that failed
   * later (TLS, HTTP/2): the latter says more to a user (see the subconn's pass failures).
   */
  private static ConnectException asConnectException(Throwable t) {
    if (t instanceof ConnectException) {
      return (ConnectException) t;
    }
    ConnectException wrapped = new ConnectException(describe(t));
    wrapped.initCause(t);
    return wrapped;
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    // Epoll words a refusal "finishConnect(..) failed with error(-111): Connection refused": keep
    // the reason alone, as NIO gives it.
    return message == null ? root.getClass().getSimpleName()
        : NATIVE_CALL_PREFIX.matcher(message).replaceFirst("");
  }

  /**
   * Says which of the usual problems failed a handshake before the JDK's or Netty's own words,
   * which ("unable to find valid certification path", "No subject alternative DNS name", a hex dump
   * of a plaintext reply) do not tell a user what to change.
   */
  private String describeHandshakeFailure(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof NotSslRecordException) {
        // Netty's message is a hex dump of whatever the server sent: not worth repeating.
        return "the server did not answer with TLS (a plaintext server? the channel uses TLS unless"
            + " told usePlaintext())";
      }
      if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException) {
        return "the server's certificate is not trusted (not signed by a trusted root; set the trust"
            + " roots to its CA): " + describe(t);
      }
      if (c instanceof CertificateException && c.getCause() == null) {
        return "the server's certificate is not valid for " + ErrorText.quote(authorityHost()) + ": " + describe(t);
      }
    }
    return describe(t);
  }

  private ClientHandler newHandler() {
    Http2Connection connection = new DefaultHttp2Connection(false);
    // The connection window refills as bytes arrive; each stream's window refills only as the
    // call consumes messages, so a slow call holds back its own stream, not the connection.
    connection.local().flowController(new DefaultHttp2LocalFlowController(
        connection, DefaultHttp2LocalFlowController.DEFAULT_WINDOW_UPDATE_RATIO, true));
    // Bytes the connection may send go to waiting streams a full frame at a time (Netty's default
    // quantum is 1 KiB), so large messages on many streams do not leave as a spray of small frames.
    UniformStreamByteDistributor distributor = new UniformStreamByteDistributor(connection);
    distributor.minAllocationChunk(MIN_ALLOCATION_CHUNK);
    connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection, distributor));
    Http2ConnectionEncoder encoder = new StreamBufferingEncoder(
        new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter()));
    Http2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(connection, encoder,
        new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(true, settings.maxHeaderListSize())));
    Http2Settings initial = new Http2Settings()
        .pushEnabled(false)
        .initialWindowSize(settings.flowControlWindow())
        .maxHeaderListSize(settings.maxHeaderListSize());
    return new ClientHandler(decoder, encoder, initial);
  }

  @Override
  public ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions) {
    requireNonNull(method, "method");
    requireNonNull(headers, "headers");
    requireNonNull(callOptions, "callOptions");
    return new NettyClientStream(this, method, headers, callOptions);
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  @Override
  public void shutdown(Status reason) {
    requireNonNull(reason, "reason");
    executeUnlessGone(() -> {
      if (shutdownStatus == null) {
        shutdownStatus = reason;
      }
      if (listener == null) {
        return; // start() will report it
      }
      notifyShutdown(reason);
      closeWhenIdle();
    });
  }

  @Override
  public void shutdownNow(Status reason) {
    requireNonNull(reason, "reason");
    shutdown(reason);
    executeUnlessGone(() -> {
      for (NettyClientStream s : new ArrayList<>(streams.values())) {
        s.close(reason, RpcProgress.PROCESSED, new Metadata(), true);
      }
      if (channel != null) {
        channel.close();
      }
    });
  }

  /**
   * Runs {@code task} on the event loop, unless the loop has shut down (the channel that owned it
   * terminated): then there is nothing left to shut down, the connection closed with its loop.
   */
  private void executeUnlessGone(Runnable task) {
    try {
      eventLoop.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "{0}: event loop already shut down", this);
    }
  }

  @Override
  public String toString() {
    return "NettyClientTransport{" + address + ", id=" + id + "}";
  }

  // ---- used by streams, on the event loop ----

  NettyTransportSettings settings() {
    return settings;
  }

  TransportOptions options() {
    return options;
  }

  EventLoop eventLoop() {
    return eventLoop;
  }

  /** Returns the connection's channel once {@link #start} ran on the loop, else null; for tests. */
  Channel channel() {
    return channel;
  }

  ClientHandler handler() {
    return handler;
  }

  /** Returns the write queue once the connection exists, else null; for tests. */
  WriteQueue writeQueue() {
    return writeQueue;
  }

  AsciiString scheme() {
    return sslContext == null ? GrpcProtocol.HTTP : GrpcProtocol.HTTPS;
  }

  AsciiString authorityHeader() {
    return authorityHeader;
  }

  AsciiString userAgentHeader() {
    return userAgentHeader;
  }

  /**
   * Runs {@code command} on the event loop through the write queue (flushed after the drain); with
   * {@code flush} false it waits for the next drain another command schedules.
   */
  void enqueue(Runnable command, boolean flush) {
    WriteQueue queue = writeQueue;
    if (queue != null) {
      queue.enqueue(command, flush);
    } else {
      eventLoop.execute(command); // not started: the stream will be refused
    }
  }

  /** A stream wrote {@code bytes} of DATA, to be flushed; event loop only. */
  void written(int bytes) {
    WriteQueue queue = writeQueue;
    if (queue != null) {
      queue.written(bytes);
    }
  }

  /**
   * Returns why a call may not use {@code authority} on this connection, or null if it may: over
   * TLS, an override must match the server's certificate, as the connection's own authority did.
   */
  Status checkAuthority(String authority) {
    if (peerCertificate == null || authority.equals(options.authority())) {
      return null;
    }
    String host = AuthorityVerifier.host(authority);
    if (AuthorityVerifier.matches(peerCertificate, host)) {
      return null;
    }
    return Status.UNAVAILABLE.withDescription("authority " + ErrorText.quote(authority) + " does not match the"
        + " certificate of " + address + " (names: " + AuthorityVerifier.names(peerCertificate) + ")");
  }

  /** Returns why a new stream cannot start now, or null if it can. */
  Status refusal() {
    if (shutdownStatus != null) {
      return Status.UNAVAILABLE.withDescription(this + " is shut down: " + shutdownStatus);
    }
    if (closeCause != null) {
      return Status.UNAVAILABLE.withDescription(this + " is closed: " + closeCause);
    }
    if (!ready || channel == null || !channel.isActive()) {
      return Status.UNAVAILABLE.withDescription(this + " is not ready");
    }
    return null;
  }

  void streamStarted(NettyClientStream stream) {
    streams.put(stream.streamId(), stream);
    if (streams.size() == 1) {
      listener.transportInUse(true);
    }
  }

  void streamEnded(NettyClientStream stream) {
    if (streams.remove(stream.streamId()) != null && streams.isEmpty()) {
      listener.transportInUse(false);
      closeWhenIdle();
    }
  }

  void streamIdsExhausted() {
    shutdown(Status.UNAVAILABLE.withDescription("stream ids exhausted on " + this));
  }

  // ---- life cycle, on the event loop ----

  private void closeWhenIdle() {
    if (shutdownStatus != null && streams.isEmpty() && channel != null) {
      channel.close();
    }
  }

  private void notifyShutdown(Status reason) {
    if (!shutdownNotified) {
      shutdownNotified = true;
      if (shutdownStatus == null) {
        shutdownStatus = reason;
      }
      cancelKeepAlive();
      listener.transportShutdown(reason);
    }
  }

  private void notifyTerminated() {
    if (!terminated) {
      terminated = true;
      listener.transportTerminated();
    }
  }

  private void onChannelClosed() {
    Status cause = closeCause != null ? closeCause
        : Status.UNAVAILABLE.withDescription("connection to " + address + " closed"
            + (shutdownStatus != null ? " after shutdown: " + shutdownStatus
                : ready ? "" : " before the HTTP/2 handshake completed (no SETTINGS from the server:"
                    + " not an HTTP/2 server, " + (sslContext == null
                        ? "or one that expects TLS?)" : "or it rejected the TLS session?)")));
    if (closeCause == null) {
      closeCause = cause;
    }
    LOG.log(Level.DEBUG, () -> this + " closed: " + cause + ", failing " + streams.size() + " streams");
    readyTimer.cancel(false);
    for (NettyClientStream s : new ArrayList<>(streams.values())) {
      s.close(cause, s.headersWritten() ? RpcProgress.PROCESSED : RpcProgress.REFUSED, new Metadata(),
          false);
    }
    notifyShutdown(cause);
    notifyTerminated();
  }

  private void onReady() {
    if (ready) {
      return;
    }
    ready = true;
    readyTimer.cancel(false);
    // The socket's view, not the address dialled: they differ when the latter is unresolved.
    SocketAddress remote = channel.remoteAddress();
    attributes = Attributes.newBuilder()
        .set(ClientCall.REMOTE_ADDRESS, remote != null ? remote : address)
        .build();
    if (shutdownNotified) {
      return;
    }
    LOG.log(Level.DEBUG, () -> this + " ready (" + scheme() + ")");
    listener.transportReady();
    scheduleKeepAlive();
  }

  private void onGoAway(int lastStreamId, long errorCode, ByteBuf debugData) {
    String debug = debugData.toString(StandardCharsets.UTF_8);
    Status status = GrpcProtocol.fromHttp2Error(errorCode, "GOAWAY from the server with");
    if (errorCode == Http2Error.NO_ERROR.code() || errorCode == Http2Error.ENHANCE_YOUR_CALM.code()) {
      status = Status.UNAVAILABLE.withDescription(status.description().orElse(""));
    }
    if (!debug.isEmpty()) {
      status = status.augmentDescription("debug data: " + ErrorText.quote(debug)); // any bytes at all
    }
    if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code() && "too_many_pings".equals(debug)
        && keepAliveTimeNanos > 0) {
      tooManyPings.accept(keepAliveTimeNanos);
    }
    Status logged = status;
    LOG.log(Level.DEBUG, () -> this + " received GOAWAY, last stream " + lastStreamId + ": " + logged);
    // The listener first, so that the retries of the refused streams below do not pick this
    // transport again.
    if (shutdownStatus == null) {
      shutdownStatus = status;
    }
    notifyShutdown(status);
    // Streams the server never saw: refused, so the channel may retry them elsewhere.
    Status refused = Status.UNAVAILABLE.withDescription(
        "stream not processed by the server: " + status.description().orElse(""));
    for (NettyClientStream s : new ArrayList<>(streams.values())) {
      if (s.streamId() > lastStreamId) {
        s.close(refused, RpcProgress.REFUSED, new Metadata(), false);
      }
    }
    closeWhenIdle();
  }

  // ---- keepalive ----

  private void scheduleKeepAlive() {
    if (keepAliveTimeNanos > 0 && !shutdownNotified) {
      keepAliveTimer = eventLoop.schedule(this::keepAlivePing, keepAliveTimeNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Anything read proves the peer alive, as in grpc-java's KeepAliveManager: it settles an
   * outstanding ping and postpones the next one.
   */
  private void onBytesRead() {
    lastReadNanos = System.nanoTime();
    if (keepAliveTimeout != null) {
      keepAliveTimeout.cancel(false);
      keepAliveTimeout = null;
      scheduleKeepAlive();
    }
  }

  private void keepAlivePing() {
    if (shutdownNotified || channel == null || !channel.isActive()) {
      return;
    }
    long time = keepAliveTimeNanos;
    long idle = System.nanoTime() - lastReadNanos;
    if (idle < time) {
      keepAliveTimer = eventLoop.schedule(this::keepAlivePing, time - idle, TimeUnit.NANOSECONDS);
      return;
    }
    if (streams.isEmpty() && !settings.keepAliveWithoutCalls()) {
      scheduleKeepAlive();
      return;
    }
    handler.encoder().writePing(handler.ctx(), false, System.nanoTime(), handler.ctx().newPromise());
    handler.ctx().flush();
    Duration timeout = settings.keepAliveTimeout();
    keepAliveTimeout = eventLoop.schedule(() -> {
      closeCause = Status.UNAVAILABLE.withDescription("keepalive ping to " + address
          + " not acknowledged within " + timeout);
      shutdownNow(closeCause);
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelKeepAlive() {
    if (keepAliveTimer != null) {
      keepAliveTimer.cancel(false);
    }
    if (keepAliveTimeout != null) {
      keepAliveTimeout.cancel(false);
    }
  }

  /**
   * Waits for the TLS handshake, checks that ALPN chose {@code h2}, then puts the HTTP/2 handler in
   * its place; a failure becomes the connection's close cause.
   *
   * <p>Not thread-safe: event loop only.
   */
  private final class TlsNegotiation extends ChannelInboundHandlerAdapter {
    private final SslHandler ssl;
    private final ClientHandler http2;

    TlsNegotiation(SslHandler ssl, ClientHandler http2) {
      this.ssl = ssl;
      this.http2 = http2;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (!(evt instanceof SslHandshakeCompletionEvent)) {
        super.userEventTriggered(ctx, evt);
        return;
      }
      SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
      if (!done.isSuccess()) {
        fail(ctx, Status.UNAVAILABLE.withDescription("TLS handshake with " + address + " for authority '"
            + options.authority() + "' failed: " + describeHandshakeFailure(done.cause()))
            .withCause(done.cause()));
        return;
      }
      String protocol = ssl.applicationProtocol();
      if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        fail(ctx, Status.UNAVAILABLE.withDescription("TLS to " + address + " negotiated ALPN protocol '"
            + protocol + "' (expected: h2)"));
        return;
      }
      java.security.cert.Certificate leaf = ssl.engine().getSession().getPeerCertificates()[0];
      if (leaf instanceof X509Certificate) {
        peerCertificate = (X509Certificate) leaf;
      }
      ctx.pipeline().replace(this, null, http2);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (closeCause == null) {
        closeCause = Status.UNAVAILABLE.withDescription("TLS connection to " + address + " failed: "
            + describe(cause)).withCause(cause);
      }
      ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, Status status) {
      if (closeCause == null) {
        closeCause = status;
      }
      ctx.close();
    }
  }

  /**
   * The connection's HTTP/2 handler: Netty's codec with gRPC's reactions to frames.
   *
   * <p>Not thread-safe: event loop only.
   */
  final class ClientHandler extends Http2ConnectionHandler {
    private ChannelHandlerContext ctx;
    /** Inside channelRead, until channelReadComplete: stream events wait for the read's end. */
    private boolean reading;
    private final List<NettyClientStream> streamsWithEvents = new ArrayList<>();
    private boolean sawSettings;
    private final boolean keepAliveEnabled = keepAliveTimeNanos > 0;
    /** Grows the receive windows to the link, unless the window was set; null then. */
    private final BdpEstimator bdp = settings.autoTuneFlowControl()
        ? new BdpEstimator(settings.flowControlWindow()) : null;

    ClientHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings initial) {
      super(decoder, encoder, initial);
      decoder.frameListener(new FrameListener());
      connection().addListener(new Http2ConnectionAdapter() {
        @Override
        public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
          onGoAway(lastStreamId, errorCode, debugData);
        }

        @Override
        public void onStreamClosed(Http2Stream stream) {
          NettyClientStream s = streams.get(stream.id());
          if (s != null) {
            s.onHttp2StreamClosed();
          }
        }
      });
    }

    ChannelHandlerContext ctx() {
      return ctx;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
      this.ctx = ctx;
      super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (keepAliveEnabled) {
        onBytesRead();
      }
      reading = true;
      super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
      endEventsOfRead();
      super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      endEventsOfRead();
      super.channelInactive(ctx);
      endEventsOfRead(); // the codec's last frames, decoded as the channel closes
    }

    /**
     * During a read, keeps {@code stream} to end its batch of events when the read is over, and
     * returns true; otherwise returns false (the stream ends its batch itself).
     */
    boolean deferEventsEnd(NettyClientStream stream) {
      if (!reading) {
        return false;
      }
      streamsWithEvents.add(stream);
      return true;
    }

    private void endEventsOfRead() {
      reading = false;
      // By index: ending a batch may run a direct-executor callback that reads again.
      for (int i = 0; i < streamsWithEvents.size(); i++) {
        streamsWithEvents.get(i).endEvents();
      }
      streamsWithEvents.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
      if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
        super.exceptionCaught(ctx, cause); // GOAWAY or RST_STREAM as the codec decides
        return;
      }
      // I/O errors and TLS alerts after the handshake (a rejected client certificate in TLS 1.3).
      if (closeCause == null) {
        closeCause = Status.UNAVAILABLE.withDescription("connection to " + address + " failed: "
            + describe(cause)).withCause(cause);
      }
      ctx.close();
    }

    @Override
    protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
        Http2Exception http2Ex) {
      if (closeCause == null) {
        closeCause = Status.UNAVAILABLE.withDescription("connection to " + address + " failed: "
            + describe(cause)).withCause(cause);
      }
      super.onConnectionError(ctx, outbound, cause, http2Ex);
    }

    @Override
    protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
        Http2Exception.StreamException http2Ex) {
      NettyClientStream s = streams.get(http2Ex.streamId());
      super.onStreamError(ctx, outbound, cause, http2Ex);
      if (s != null) {
        // Our request's headers, refused by our encoder before anything went out: the same headers
        // would fail again on this connection, so no retry either.
        String description = outbound && http2Ex instanceof Http2Exception.HeaderListSizeException
            ? "request headers exceed the server's SETTINGS_MAX_HEADER_LIST_SIZE of "
                + encoder().configuration().headersConfiguration().maxHeaderListSize() + " bytes"
            : "HTTP/2 stream error " + http2Ex.error() + ": " + http2Ex.getMessage();
        s.close(Status.INTERNAL.withDescription(description).withCause(http2Ex), RpcProgress.PROCESSED,
            new Metadata(), false);
      }
    }

    /**
     * Sends a BDP ping if the estimate wants one; the read's end flushes it (with what the read
     * wrote back, such as window updates).
     */
    private void countForBdp(ChannelHandlerContext ctx, int bytes) {
      if (bdp != null && bdp.onData(bytes, System.nanoTime())) {
        encoder().writePing(ctx, false, BdpEstimator.PING_PAYLOAD, ctx.newPromise());
      }
    }

    /**
     * Grows the connection's window now and every stream's through SETTINGS (the codec applies
     * them to the streams when the server acknowledges), as grpc-java does.
     */
    private void onBdpPingAck(ChannelHandlerContext ctx) {
      int window = bdp.onPingAck(System.nanoTime());
      if (window == 0) {
        return;
      }
      if (widenConnectionWindow(window)) {
        encoder().writeSettings(ctx, new Http2Settings().initialWindowSize(window), ctx.newPromise());
        LOG.log(Level.DEBUG, () -> NettyClientTransport.this + " receive windows grown to " + window);
      }
    }

    /**
     * Raises the connection's receive window to {@code window} bytes (a WINDOW_UPDATE for the
     * difference); returns false, having logged why, if the codec refuses.
     */
    private boolean widenConnectionWindow(int window) {
      Http2Stream connectionStream = connection().connectionStream();
      int increment = window - connection().local().flowController().initialWindowSize(connectionStream);
      if (increment <= 0) {
        return true;
      }
      try {
        connection().local().flowController().incrementWindowSize(connectionStream, increment);
        return true;
      } catch (Http2Exception e) {
        LOG.log(Level.WARNING, "cannot widen the connection window of " + NettyClientTransport.this, e);
        return false;
      }
    }

    private final class FrameListener extends Http2FrameAdapter {
      @Override
      public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
          boolean endOfStream) {
        countForBdp(ctx, data.readableBytes() + padding);
        NettyClientStream s = streams.get(streamId);
        if (s == null) {
          return data.readableBytes() + padding;
        }
        s.onData(data.retain(), endOfStream);
        return padding; // the data is returned to the window as its messages are delivered
      }

      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
          int padding, boolean endOfStream) {
        NettyClientStream s = streams.get(streamId);
        if (s != null) {
          s.onHeaders(headers, endOfStream);
        }
      }

      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
          int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
      }

      @Override
      public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        if (data == BdpEstimator.PING_PAYLOAD && bdp != null) {
          onBdpPingAck(ctx);
        }
      }

      @Override
      public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        NettyClientStream s = streams.get(streamId);
        if (s != null) {
          s.onRstStream(errorCode);
        }
      }

      @Override
      public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings received) {
        if (!sawSettings) {
          sawSettings = true;
          widenConnectionWindow(settings.flowControlWindow());
          onReady();
        }
      }

    }
  }
}
