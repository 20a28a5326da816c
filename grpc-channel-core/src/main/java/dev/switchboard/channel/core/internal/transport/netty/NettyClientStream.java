package dev.switchboard.channel.core.internal.transport.netty;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Drainable;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener.RpcProgress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * One call's HTTP/2 stream. The caller's thread frames and compresses messages into pooled direct
 * buffers; everything that touches the connection runs as a command on the event loop through the
 * connection's {@link WriteQueue}; the listener is called on the event loop only.
 *
 * <p>Not thread-safe: driven serially by one call, except {@link #cancel}, from any thread.
 */
final class NettyClientStream implements ClientStream, MessageDeframer.Sink {

  private static final System.Logger LOG = System.getLogger(NettyClientStream.class.getName());
  /** Below this many bytes queued and unsent, the stream is ready for more (grpc-java's value). */
  static final int READY_THRESHOLD = 32 * 1024;

  private final NettyClientTransport transport;
  private final MethodDescriptor<?, ?> method;
  private final Metadata requestHeaders;
  private final CallOptions callOptions;
  private final AtomicInteger queuedBytes = new AtomicInteger();
  private final boolean gzip;
  private volatile boolean compressMessages = true;
  private final int maxOutboundMessageSize;
  private volatile boolean started;
  private volatile boolean closedVolatile;
  /** The HEADERS frame left (not buffered for a concurrent-stream slot): the stream exists. */
  private volatile boolean headersWritten;
  /** Netty closed the HTTP/2 stream before its HEADERS write completed (event loop only). */
  private boolean http2ClosedWhileWriting;
  /**
   * The client sends one message (unary, server streaming): its start, requests and message wait
   * on the caller's side for the half-close, which hands them to the event loop as one command, so
   * HEADERS and one DATA frame with the message and END_STREAM leave in one write and one flush,
   * and nothing wakes the event loop before that.
   */
  private final boolean oneMessage;
  // A one-message stream's caller side, guarded by this (cancel may come from another thread).
  /** The start is with the event loop (or the stream was cancelled): nothing waits any more. */
  private boolean startQueued;
  private ClientStreamListener pendingListener;
  private int pendingRequests;
  private ByteBuf pendingMessage;
  /** Cancelled before {@link #start}: the start goes to the event loop at once, to close. */
  private boolean cancelledBeforeStartCall;

  // Event-loop state.
  private ClientStreamListener listener;
  private final MessageDeframer deframer;
  private int streamId = -1;
  private boolean headersReceived;
  private boolean remoteEnded;
  private boolean closed;
  private Status cancelledBeforeStart;
  private ScheduledFuture<?> deadlineTimer;
  /**
   * END_STREAM is written: nothing more can be sent, so the listener hears no {@code onReady}
   * (a unary call's caller is not woken for it).
   */
  private boolean localEnded;
  /** Events went to the listener and the handler will end the batch at the end of its read. */
  private boolean eventsPending;

  NettyClientStream(NettyClientTransport transport, MethodDescriptor<?, ?> method, Metadata headers,
      CallOptions callOptions) {
    this.transport = transport;
    this.method = method;
    this.requestHeaders = headers;
    this.callOptions = callOptions;
    this.oneMessage = method.type().clientSendsOneMessage();
    this.gzip = callOptions.compression().map(GrpcProtocol.GZIP::equals).orElse(false);
    this.deframer = new MessageDeframer(this, callOptions.maxInboundMessageSize()
        .orElse(transport.settings().maxInboundMessageSize()));
    this.maxOutboundMessageSize = callOptions.maxOutboundMessageSize().orElse(Integer.MAX_VALUE);
  }

  // ---- ClientStream, caller side ----

  @Override
  public void start(ClientStreamListener listener) {
    if (started) {
      throw new IllegalStateException("stream already started");
    }
    started = true;
    if (oneMessage) {
      synchronized (this) {
        if (!cancelledBeforeStartCall) {
          pendingListener = listener;
          return;
        }
      }
    }
    if (!onLoop(() -> startOnLoop(listener))) {
      closeWithoutLoop(listener, refusedWithoutLoop(), RpcProgress.REFUSED);
    }
  }

  @Override
  public void request(int numMessages) {
    if (numMessages <= 0) {
      throw new IllegalArgumentException("numMessages: " + numMessages + " (expected: > 0)");
    }
    if (oneMessage) {
      synchronized (this) {
        if (!startQueued) {
          // No response can arrive before the half-close: the request goes with it.
          pendingRequests = (int) Math.min(Integer.MAX_VALUE, (long) pendingRequests + numMessages);
          return;
        }
      }
    }
    Runnable requestOnLoop = () -> {
      if (!closed) {
        deframer.request(numMessages);
      }
    };
    if (transport.eventLoop().inEventLoop()) {
      // A callback on the event loop (direct executor) asking for more: it only touches the
      // deframer, so it need not wait behind queued writes, nor schedule a drain.
      requestOnLoop.run();
    } else {
      onLoop(requestOnLoop);
    }
  }

  @Override
  public void writeMessage(InputStream message) {
    if (closedVolatile) {
      closeQuietly(message);
      return;
    }
    ByteBuf frame;
    try (InputStream in = message) {
      frame = frame(in);
    } catch (IOException | RuntimeException e) {
      cancel(Status.INTERNAL.withDescription("cannot serialize request of " + method.fullMethodName()
          + ": " + e).withCause(e));
      return;
    }
    if (frame == null) {
      return;
    }
    queuedBytes.addAndGet(frame.readableBytes());
    if (oneMessage) {
      synchronized (this) {
        if (!startQueued) {
          // A second message on a one-message method is the application's mistake; both go out
          // and the server answers it.
          pendingMessage = pendingMessage == null ? frame : Unpooled.wrappedBuffer(pendingMessage, frame);
          return;
        }
      }
    }
    if (!onLoop(() -> writeOnLoop(frame, false))) {
      frame.release();
    }
  }

  /** Returns the framed message, or null when it is over the limit (the stream is cancelled). */
  private ByteBuf frame(InputStream in) throws IOException {
    boolean compress = gzip && compressMessages;
    int estimate = Math.max(in.available(), 0);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(5 + Math.max(estimate, 64));
    boolean ok = false;
    try {
      buf.writeZero(5);
      long uncompressed;
      if (compress) {
        try (GZIPOutputStream gz = new GZIPOutputStream(new ByteBufOutputStream(buf))) {
          uncompressed = in.transferTo(gz);
        }
      } else if (in instanceof Drainable drainable) {
        // Its exact length is available(): checked against the limit before it is serialized, then
        // written straight into the frame.
        int length = estimate;
        if (length > maxOutboundMessageSize) {
          cancel(outboundTooLarge(length));
          return null;
        }
        buf.ensureWritable(length);
        ByteBuffer target = buf.nioBuffer(buf.writerIndex(), length);
        int written = drainable.drainTo(target);
        if (written != length || target.position() != length) {
          throw new IOException("message stream wrote " + written + " bytes, having announced " + length);
        }
        buf.writerIndex(buf.writerIndex() + length);
        uncompressed = length;
      } else if (in instanceof ByteArrayInputStream) {
        // The usual byte[] marshaller's stream: transferTo hands its array to the frame in one
        // write, one copy (reading it in goes through a temporary array of Netty's, two copies);
        // the buffer was sized for its available() already.
        uncompressed = in.transferTo(new ByteBufOutputStream(buf));
      } else {
        // Sized by available(): a stream that knows its length is copied into a buffer of the
        // right size, with no regrowth.
        while (true) {
          int available = in.available();
          if (available <= 0) {
            int b = in.read();
            if (b < 0) {
              break;
            }
            buf.writeByte(b);
            available = 4096;
          }
          buf.ensureWritable(available);
          if (buf.writeBytes(in, available) < 0) {
            break;
          }
        }
        uncompressed = buf.readableBytes() - 5L;
      }
      int max = maxOutboundMessageSize;
      if (uncompressed > max) {
        cancel(outboundTooLarge(uncompressed));
        return null;
      }
      buf.setByte(0, compress ? 1 : 0);
      buf.setInt(1, buf.readableBytes() - 5);
      ok = true;
      return buf;
    } finally {
      if (!ok) {
        buf.release();
      }
    }
  }

  private Status outboundTooLarge(long length) {
    return Status.RESOURCE_EXHAUSTED.withDescription("outbound message of " + length
        + " bytes exceeds the limit of " + maxOutboundMessageSize + " bytes");
  }

  @Override
  public void flush() {
    // Every drain of the write queue ends with a flush: queue an empty command to force one.
    onLoop(() -> { });
  }

  @Override
  public void halfClose() {
    if (oneMessage) {
      ClientStreamListener startListener;
      int requests;
      ByteBuf message;
      synchronized (this) {
        if (!startQueued) {
          startQueued = true;
          startListener = pendingListener;
          requests = pendingRequests;
          message = pendingMessage;
          pendingListener = null;
          pendingMessage = null;
        } else {
          startListener = null;
          requests = 0;
          message = null;
        }
      }
      if (startListener != null) {
        if (!onLoop(() -> startRequestAndSendOnLoop(startListener, requests, message))) {
          if (message != null) {
            message.release();
          }
          closeWithoutLoop(startListener, refusedWithoutLoop(), RpcProgress.REFUSED);
        }
        return;
      }
    }
    onLoop(() -> writeOnLoop(Unpooled.EMPTY_BUFFER, true));
  }

  @Override
  public void cancel(Status reason) {
    requireNonNull(reason, "reason");
    if (closedVolatile) {
      return;
    }
    if (oneMessage) {
      ClientStreamListener startListener = null;
      ByteBuf dropped = null;
      synchronized (this) {
        if (!startQueued) {
          if (pendingListener == null) {
            cancelledBeforeStartCall = true;
          } else {
            startQueued = true;
            startListener = pendingListener;
            dropped = pendingMessage;
            pendingListener = null;
            pendingMessage = null;
          }
        }
      }
      if (dropped != null) {
        queuedBytes.addAndGet(-dropped.readableBytes());
        dropped.release();
      }
      if (startListener != null) {
        // Started but not sent: the listener still hears the close, from the event loop.
        ClientStreamListener listenerToClose = startListener;
        if (!onLoop(() -> {
          cancelledBeforeStart = reason;
          startOnLoop(listenerToClose);
        })) {
          closeWithoutLoop(listenerToClose, reason, RpcProgress.PROCESSED);
        }
        return;
      }
    }
    onLoop(() -> cancelOnLoop(reason));
  }

  @Override
  public boolean isReady() {
    return headersWritten && !closedVolatile && queuedBytes.get() < READY_THRESHOLD;
  }

  @Override
  public Attributes attributes() {
    return transport.attributes();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    this.compressMessages = enabled;
  }

  @Override
  public void setMaxInboundMessageSize(int bytes) {
    if (started) {
      throw new IllegalStateException("setMaxInboundMessageSize after start");
    }
    // Before start nothing runs on the event loop for this stream, and the start command
    // publishes this write to it.
    deframer.maxMessageSize(bytes);
  }

  // ---- event loop ----

  /**
   * Runs {@code command} on the event loop through the connection's write queue; a command that
   * throws ends this stream with INTERNAL instead of leaving it open forever.
   */
  private boolean onLoop(Runnable command) {
    return onLoop(command, true);
  }

  /**
   * As {@link #onLoop(Runnable)}; without {@code flush} the command waits for the next drain.
   * Returns false when the connection's event loop has shut down, so the command will never run:
   * a stream the loop knew was closed by it then (its connection closed with it), and the callers
   * that hand a stream to the loop for the first time close it themselves.
   */
  private boolean onLoop(Runnable command, boolean flush) {
    try {
      transport.enqueue(() -> {
        try {
          command.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "failure on " + this, e);
          if (!closed && listener != null) {
            close(Status.INTERNAL.withDescription("transport failure: " + e).withCause(e),
                RpcProgress.PROCESSED, new Metadata(), true);
          }
        }
      }, flush);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private Status refusedWithoutLoop() {
    return Status.UNAVAILABLE.withDescription("connection " + transport
        + " is gone: its event loop has shut down (nothing was sent)");
  }

  /**
   * Ends a stream whose start never reached the event loop because the loop had shut down: no loop
   * is left to tell its listener, so it hears the close here, on the caller's thread, once.
   */
  private void closeWithoutLoop(ClientStreamListener listener, Status status, RpcProgress progress) {
    closedVolatile = true;
    try {
      listener.closed(status, progress, new Metadata());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stream listener threw from closed()", e);
    }
  }

  private void startOnLoop(ClientStreamListener listener) {
    this.listener = listener;
    if (cancelledBeforeStart != null) {
      close(cancelledBeforeStart, RpcProgress.PROCESSED, new Metadata(), false);
      return;
    }
    String compression = callOptions.compression().orElse(GrpcProtocol.IDENTITY);
    if (!gzip && !GrpcProtocol.IDENTITY.equals(compression)) {
      close(Status.INTERNAL.withDescription("compression " + ErrorText.quote(compression)
          + " is not supported (expected: gzip or identity)"), RpcProgress.REFUSED, new Metadata(), false);
      return;
    }
    Status refusal = transport.refusal();
    if (refusal != null) {
      close(refusal, RpcProgress.REFUSED, new Metadata(), false);
      return;
    }
    Status badAuthority = callOptions.authority().map(transport::checkAuthority).orElse(null);
    if (badAuthority != null) {
      close(badAuthority, RpcProgress.PROCESSED, new Metadata(), false);
      return;
    }
    long timeoutNanos = -1;
    if (callOptions.deadline().isPresent()) {
      timeoutNanos = callOptions.deadline().get().timeRemaining(TimeUnit.NANOSECONDS);
      if (timeoutNanos <= 0) {
        close(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the stream started"),
            RpcProgress.PROCESSED, new Metadata(), false);
        return;
      }
    }
    NettyClientTransport.ClientHandler handler = transport.handler();
    int id = handler.connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      close(Status.UNAVAILABLE.withDescription("stream ids exhausted on " + transport),
          RpcProgress.REFUSED, new Metadata(), false);
      transport.streamIdsExhausted();
      return;
    }
    streamId = id;
    transport.streamStarted(this);
    if (timeoutNanos > 0) {
      long timeout = timeoutNanos;
      // Through the write queue, so that the RST_STREAM is flushed.
      deadlineTimer = transport.eventLoop().schedule(
          () -> onLoop(() -> cancelOnLoop(Status.DEADLINE_EXCEEDED.withDescription(
              "deadline exceeded after " + formatNanos(timeout) + " (sent as grpc-timeout "
                  + GrpcProtocol.encodeTimeout(timeout) + ")"))),
          timeoutNanos, TimeUnit.NANOSECONDS);
    }
    Http2Headers headers = requestHeaders(timeoutNanos);
    ChannelPromise promise = handler.ctx().newPromise();
    handler.encoder().writeHeaders(handler.ctx(), id, headers, 0, false, promise);
    promise.addListener((ChannelFuture f) -> {
      if (f.isSuccess()) {
        headersWritten = true;
        if (http2ClosedWhileWriting) {
          onHttp2StreamClosed();
        } else if (isReady() && !closed && !localEnded) {
          notifyListener(() -> listener.onReady());
        }
      } else if (!closed) {
        Throwable cause = f.cause();
        boolean refused = cause instanceof StreamBufferingEncoder.Http2GoAwayException
            || transport.refusal() != null;
        close(Status.UNAVAILABLE.withDescription("cannot open stream " + id + " on " + transport + ": "
            + cause).withCause(cause),
            refused ? RpcProgress.REFUSED : RpcProgress.PROCESSED, new Metadata(), false);
      }
    });
  }

  private static String formatNanos(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  private Http2Headers requestHeaders(long timeoutNanos) {
    CharSequence authority = callOptions.authority().isPresent()
        ? callOptions.authority().get() : transport.authorityHeader();
    Http2Headers h = new DefaultHttp2Headers(false)
        .method(GrpcProtocol.POST)
        .scheme(transport.scheme())
        .path(method.path())
        .authority(authority);
    h.add(GrpcProtocol.CONTENT_TYPE_HEADER, GrpcProtocol.CONTENT_TYPE_GRPC_VALUE);
    h.add(GrpcProtocol.TE_HEADER, GrpcProtocol.TRAILERS_VALUE);
    h.add(GrpcProtocol.USER_AGENT_HEADER, transport.userAgentHeader());
    if (timeoutNanos > 0) {
      h.add(GrpcProtocol.TIMEOUT_HEADER, GrpcProtocol.encodeTimeout(timeoutNanos));
    }
    if (gzip) {
      h.add(GrpcProtocol.ENCODING_HEADER, GrpcProtocol.GZIP_VALUE);
    }
    h.add(GrpcProtocol.ACCEPT_ENCODING_HEADER, GrpcProtocol.ACCEPT_ENCODING_VALUE);
    GrpcProtocol.addMetadata(requestHeaders, h);
    return h;
  }

  private void writeOnLoop(ByteBuf data, boolean endStream) {
    int size = data.readableBytes();
    if (closed || streamId < 0) {
      data.release();
      queuedBytes.addAndGet(-size);
      return;
    }
    localEnded |= endStream;
    NettyClientTransport.ClientHandler handler = transport.handler();
    ChannelPromise promise = handler.ctx().newPromise();
    handler.encoder().writeData(handler.ctx(), streamId, data, 0, endStream, promise);
    if (size > 0) {
      transport.written(size);
      promise.addListener(f -> onSent(size));
    }
  }

  /** A one-message stream's whole send: HEADERS, the requests, the message and END_STREAM. */
  private void startRequestAndSendOnLoop(ClientStreamListener listener, int requests, ByteBuf message) {
    startOnLoop(listener);
    if (requests > 0 && !closed) {
      deframer.request(requests);
    }
    writeOnLoop(message != null ? message : Unpooled.EMPTY_BUFFER, true);
  }

  /** Written (or dropped): when the queue falls below the threshold, the stream is ready again. */
  private void onSent(int size) {
    int after = queuedBytes.addAndGet(-size);
    if (after + size >= READY_THRESHOLD && after < READY_THRESHOLD && headersWritten && !closed && !localEnded) {
      notifyListener(() -> listener.onReady());
    }
  }

  void cancelOnLoop(Status reason) {
    if (listener == null) {
      cancelledBeforeStart = reason;
      closedVolatile = true;
      return;
    }
    close(reason, RpcProgress.PROCESSED, new Metadata(), true);
  }

  /** Response HEADERS (initial or trailers) arrived. */
  void onHeaders(Http2Headers headers, boolean endStream) {
    if (closed) {
      return;
    }
    if (!headersReceived) {
      headersReceived = true;
      Status bad = checkResponseHeaders(headers, endStream);
      if (bad != null) {
        remoteEnded |= endStream;
        close(bad, RpcProgress.PROCESSED, safeMetadata(headers), true);
        return;
      }
      if (endStream) {
        onTrailers(headers); // trailers-only response
        return;
      }
      CharSequence encoding = headers.get("grpc-encoding");
      if (encoding != null && !GrpcProtocol.GZIP.contentEquals(encoding)
          && !GrpcProtocol.IDENTITY.contentEquals(encoding)) {
        close(Status.INTERNAL.withDescription("unsupported grpc-encoding " + ErrorText.quote(encoding)
            + " in the response (expected: identity or gzip)"), RpcProgress.PROCESSED, new Metadata(), true);
        return;
      }
      deframer.encoding(encoding == null ? null : encoding.toString());
      Metadata md = safeMetadata(headers);
      if (md != null) {
        notifyListener(() -> listener.headersRead(md));
      }
      return;
    }
    // Netty's decoder already turned a second HEADERS frame without END_STREAM into a stream
    // error (see ClientHandler.onStreamError): this one is the trailers.
    onTrailers(headers);
  }

  private Status checkResponseHeaders(Http2Headers headers, boolean endStream) {
    CharSequence status = headers.status();
    if (status == null) {
      return Status.INTERNAL.withDescription("response headers have no :status");
    }
    int http;
    try {
      http = Integer.parseInt(status.toString());
    } catch (NumberFormatException e) {
      return Status.INTERNAL.withDescription("invalid :status " + ErrorText.quote(status) + " in the response");
    }
    CharSequence contentType = headers.get("content-type");
    if (http != 200) {
      return GrpcProtocol.fromHttpStatus(http).augmentDescription(contentType == null
          ? "no content-type" : "content-type " + ErrorText.quote(contentType));
    }
    if (endStream && headers.contains("grpc-status")) {
      return null; // a trailers-only response; its status decides
    }
    // Not a gRPC response: grpc-java and grpc-go map the HTTP status (200: UNKNOWN), as here.
    if (contentType == null) {
      return GrpcProtocol.fromHttpStatus(http)
          .augmentDescription("response has no content-type (expected: application/grpc)");
    }
    String ct = contentType.toString().toLowerCase(Locale.ROOT);
    if (!ct.startsWith(GrpcProtocol.CONTENT_TYPE_GRPC)
        || (ct.length() > 16 && ct.charAt(16) != '+' && ct.charAt(16) != ';')) {
      return GrpcProtocol.fromHttpStatus(http).augmentDescription("invalid content-type "
          + ErrorText.quote(contentType) + " (expected: application/grpc)");
    }
    return null;
  }

  private void onTrailers(Http2Headers trailers) {
    remoteEnded = true;
    Metadata md = safeMetadata(trailers);
    if (md == null) {
      return;
    }
    CharSequence code = trailers.get("grpc-status");
    Status status;
    if (code == null) {
      status = Status.INTERNAL.withDescription("trailers have no grpc-status");
    } else {
      int value;
      try {
        value = Integer.parseInt(code.toString());
      } catch (NumberFormatException e) {
        value = -1;
      }
      if (value < 0) {
        status = Status.INTERNAL.withDescription("invalid grpc-status " + ErrorText.quote(code)
            + " in the trailers (expected: an integer 0-16)");
      } else {
        status = Status.fromCodeValue(value); // an unknown number is UNKNOWN naming it
        CharSequence message = trailers.get("grpc-message");
        if (message != null) {
          String decoded = GrpcProtocol.percentDecode(message);
          status = Status.Code.fromValue(value).isPresent()
              ? status.withDescription(decoded) : status.augmentDescription(decoded);
        }
      }
    }
    deframer.endOfStream(status, md);
  }

  /** Returns the headers as metadata, or null after closing the stream if they are malformed. */
  private Metadata safeMetadata(Http2Headers headers) {
    try {
      return GrpcProtocol.toMetadata(headers);
    } catch (IllegalArgumentException e) {
      close(Status.INTERNAL.withDescription("malformed binary header in the response: " + e.getMessage()),
          RpcProgress.PROCESSED, new Metadata(), true);
      return null;
    }
  }

  /** DATA arrived; takes ownership of {@code data}. */
  void onData(ByteBuf data, boolean endStream) {
    if (closed) {
      data.release();
      return;
    }
    if (!headersReceived) {
      data.release();
      close(Status.INTERNAL.withDescription("DATA frame before the response headers"),
          RpcProgress.PROCESSED, new Metadata(), true);
      return;
    }
    deframer.add(data);
    if (endStream && !closed) {
      remoteEnded = true;
      deframer.endOfStream(Status.INTERNAL.withDescription(
          "server ended the stream with a DATA frame, without trailers"), new Metadata());
    }
  }

  /** The server reset the stream. */
  void onRstStream(long errorCode) {
    remoteEnded = true;
    Status status = GrpcProtocol.fromHttp2Error(errorCode, "stream reset by the server with");
    boolean refused = errorCode == Http2Error.REFUSED_STREAM.code();
    close(status, refused ? RpcProgress.REFUSED : RpcProgress.PROCESSED, new Metadata(), false);
  }

  /** Netty closed the HTTP/2 stream; if nothing else ended this stream, say so. */
  void onHttp2StreamClosed() {
    if (!headersWritten) {
      // While its HEADERS are being written: that write's outcome ends this stream (a failure
      // names its cause; a success comes back here).
      http2ClosedWhileWriting = true;
      return;
    }
    // A connection that closes fails its streams itself, naming the connection's cause.
    if (!closed && !remoteEnded && transport.handler().ctx().channel().isActive()) {
      close(Status.INTERNAL.withDescription("HTTP/2 stream " + streamId + " closed without trailers"),
          RpcProgress.PROCESSED, new Metadata(), false);
    }
  }

  int streamId() {
    return streamId;
  }

  /** Returns whether the server may have seen this stream (its HEADERS were written). */
  boolean headersWritten() {
    return headersWritten;
  }

  /** Returns the received bytes not yet delivered; for tests and diagnostics. Blocks briefly. */
  int bufferedInboundBytes() throws java.util.concurrent.ExecutionException, InterruptedException {
    return transport.eventLoop().submit(() -> deframer.bufferedBytes()).get();
  }

  /** Ends the stream, once: stops timers, frees buffers, resets it if needed, tells the listener. */
  void close(Status status, RpcProgress progress, Metadata trailers, boolean reset) {
    if (closed) {
      return;
    }
    closed = true;
    closedVolatile = true;
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
    }
    deframer.release();
    if (streamId > 0) {
      NettyClientTransport.ClientHandler handler = transport.handler();
      Http2Stream http2 = handler.connection().stream(streamId);
      if (http2 != null) {
        // A stream the server has ended but we have not is reset too, or it would stay open.
        if ((reset || http2.state() == Http2Stream.State.HALF_CLOSED_REMOTE)
            && http2.state() != Http2Stream.State.CLOSED) {
          handler.resetStream(handler.ctx(), streamId, Http2Error.CANCEL.code(), handler.ctx().newPromise());
        }
      } else if (reset && !headersWritten) {
        // Still buffered by the StreamBufferingEncoder (no free concurrent-stream slot): drop it.
        handler.encoder().writeRstStream(handler.ctx(), streamId, Http2Error.CANCEL.code(),
            handler.ctx().newPromise());
      }
      transport.streamEnded(this);
    }
    try {
      listener.closed(status, progress, trailers);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stream listener threw from closed()", e);
    }
    eventDelivered();
  }

  /**
   * Calls the listener; one that throws (against its contract) fails this stream, not the
   * connection the exception would otherwise unwind through.
   */
  private void notifyListener(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stream listener threw on " + this, e);
      close(Status.CANCELLED.withDescription("stream listener threw: " + e).withCause(e),
          RpcProgress.PROCESSED, new Metadata(), true);
      return;
    }
    eventDelivered();
  }

  /**
   * After an event: the batch ends now, or, during a read of the connection, when the read is
   * over (the handler then calls {@link #endEvents}), so that one read's events go out together.
   */
  private void eventDelivered() {
    if (eventsPending) {
      return;
    }
    NettyClientTransport.ClientHandler handler = transport.handler();
    if (handler != null && handler.deferEventsEnd(this)) {
      eventsPending = true;
    } else {
      endEvents();
    }
  }

  /** Tells the listener that the events so far are all there is for now. Event loop. */
  void endEvents() {
    eventsPending = false;
    try {
      listener.eventsDelivered();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stream listener threw from eventsDelivered()", e);
    }
  }

  // ---- MessageDeframer.Sink ----

  @Override
  public void deliver(InputStream message) {
    notifyListener(() -> {
      try {
        listener.messageRead(message);
      } catch (RuntimeException e) {
        closeQuietly(message); // the listener owns it only if it returns
        throw e;
      }
    });
  }

  private static void closeQuietly(InputStream message) {
    try {
      message.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "cannot close a message", e);
    }
  }

  @Override
  public void bytesConsumed(int bytes) {
    NettyClientTransport.ClientHandler handler = transport.handler();
    Http2Stream http2 = handler.connection().stream(streamId);
    if (http2 == null) {
      return; // closed: Netty returned its unconsumed bytes to the connection window
    }
    try {
      handler.connection().local().flowController().consumeBytes(http2, bytes);
    } catch (Http2Exception e) {
      LOG.log(Level.DEBUG, "cannot return " + bytes + " bytes to the window of stream " + streamId, e);
    }
  }

  @Override
  public void fail(Status status) {
    close(status, RpcProgress.PROCESSED, new Metadata(), true);
  }

  @Override
  public void drained(Status status, Metadata trailers) {
    close(status, RpcProgress.PROCESSED, trailers, false);
  }

  @Override
  public String toString() {
    return "NettyClientStream{" + method.fullMethodName() + ", id=" + streamId + ", " + transport + "}";
  }
}
