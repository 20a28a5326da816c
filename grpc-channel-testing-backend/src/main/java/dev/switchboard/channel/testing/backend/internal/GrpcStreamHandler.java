package dev.switchboard.channel.testing.backend.internal;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one gRPC call, on one HTTP/2 stream child channel: reads the request
 * headers, deframes request messages (1-byte compressed flag, 4-byte length), hands them to the
 * {@link ServedMethod} for the path, and writes response headers, framed messages and trailers
 * ({@code grpc-status}, percent-encoded {@code grpc-message}), or a trailers-only response.
 *
 * <p>Buffers: every inbound frame is released here after it is read; partial messages are kept
 * in one cumulation buffer that is released when the stream closes.
 *
 * <p>Not thread-safe: runs on the stream's event loop only.
 */
final class GrpcStreamHandler extends ChannelInboundHandlerAdapter implements ServerStream {

  private static final System.Logger LOG = System.getLogger(GrpcStreamHandler.class.getName());
  /** The default limit of grpc-java and grpc-go servers. */
  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
  private static final int FRAME_HEADER_BYTES = 5;

  private final BackendState state;
  private ChannelHandlerContext ctx;
  private ServedMethod method;
  private boolean started;
  private boolean headersSent;
  private boolean closed;
  private boolean inboundDone;
  /** The client has sent END_STREAM, possibly on a frame whose messages are still being read. */
  private boolean clientFinished;
  private ByteBuf cumulation;
  private final ArrayDeque<Delayed> delayed = new ArrayDeque<>();
  private ScheduledFuture<?> deadlineTimer;

  GrpcStreamHandler(BackendState state) {
    this.state = state;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2HeadersFrame headers) {
        onHeaders(headers);
      } else if (msg instanceof Http2DataFrame data) {
        onData(data);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "test backend " + state.name() + ": a served method threw", e);
      close(Status.INTERNAL.withDescription("the test backend failed: " + e));
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame) {
      // The client cancelled: nothing more is sent, scheduled answers find the call closed.
      inboundDone = true;
      cancelled();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelled();
    releaseCumulation();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseCumulation();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.DEBUG, "test backend " + state.name() + ": stream failed", cause);
    ctx.close();
  }

  private void onHeaders(Http2HeadersFrame frame) {
    clientFinished |= frame.isEndStream();
    if (started) {
      // Trailers from the client: only their end-of-stream flag matters.
      if (frame.isEndStream()) {
        endOfInbound();
      }
      return;
    }
    started = true;
    Http2Headers in = frame.headers();
    CharSequence contentType = in.get(HttpHeaderNames.CONTENT_TYPE);
    if (!HttpMethod.POST.asciiName().contentEquals(String.valueOf(in.method()))
        || contentType == null
        || !contentType.toString().startsWith("application/grpc")) {
      closed = true;
      Http2Headers reply = new DefaultHttp2Headers().status("415")
          .set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
      ctx.writeAndFlush(new DefaultHttp2HeadersFrame(reply, true))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    String path = String.valueOf(in.path());
    String fullMethodName = path.startsWith("/") ? path.substring(1) : path;
    method = TestServices.find(fullMethodName, state);
    if (method == null) {
      close(Status.UNIMPLEMENTED.withDescription("Method not found: " + fullMethodName));
    } else {
      Metadata headers = metadata(in);
      state.recordCall(fullMethodName, headers);
      CharSequence timeout = in.get("grpc-timeout");
      if (timeout != null) {
        startDeadline(timeout);
      }
      method.onStart(this, headers);
    }
    if (frame.isEndStream()) {
      endOfInbound();
    }
  }

  private void onData(Http2DataFrame frame) {
    clientFinished |= frame.isEndStream();
    if (!closed) {
      if (cumulation == null) {
        cumulation = ctx.alloc().buffer(frame.content().readableBytes());
      }
      cumulation.writeBytes(frame.content());
      deliverMessages();
    }
    if (frame.isEndStream()) {
      endOfInbound();
    }
  }

  private void deliverMessages() {
    while (!closed && cumulation.readableBytes() >= FRAME_HEADER_BYTES) {
      int at = cumulation.readerIndex();
      byte flags = cumulation.getByte(at);
      long length = cumulation.getUnsignedInt(at + 1);
      if ((flags & 1) != 0) {
        close(Status.UNIMPLEMENTED.withDescription(
            "compressed request (expected: uncompressed; the test backend has no decompressor)"));
        return;
      }
      if (length > MAX_MESSAGE_BYTES) {
        close(Status.RESOURCE_EXHAUSTED.withDescription(
            "request of " + length + " bytes (expected: at most " + MAX_MESSAGE_BYTES + ")"));
        return;
      }
      if (cumulation.readableBytes() < FRAME_HEADER_BYTES + length) {
        return;
      }
      cumulation.skipBytes(FRAME_HEADER_BYTES);
      byte[] message = new byte[(int) length];
      cumulation.readBytes(message);
      method.onMessage(this, message);
    }
    // A served method may have closed the call, and with it the channel and its buffer.
    if (cumulation != null) {
      cumulation.discardReadBytes();
    }
  }

  private void endOfInbound() {
    if (inboundDone) {
      return;
    }
    inboundDone = true;
    if (!closed) {
      method.onHalfClose(this);
    }
  }

  @Override
  public void sendMessage(byte[] message) {
    if (closed) {
      return;
    }
    if (!headersSent) {
      headersSent = true;
      ctx.write(new DefaultHttp2HeadersFrame(responseHeaders(), false));
    }
    ByteBuf buf = ctx.alloc().buffer(FRAME_HEADER_BYTES + message.length);
    buf.writeByte(0).writeInt(message.length).writeBytes(message);
    ctx.writeAndFlush(new DefaultHttp2DataFrame(buf, false));
  }

  @Override
  public void close(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    cancelDeadline();
    // Trailers-only when nothing was sent: the status rides in the only HEADERS frame.
    Http2Headers trailers = headersSent ? new DefaultHttp2Headers() : responseHeaders();
    headersSent = true;
    trailers.setInt("grpc-status", status.code().value());
    status.description().ifPresent(d -> trailers.set("grpc-message", percentEncode(d)));
    var written = ctx.writeAndFlush(new DefaultHttp2HeadersFrame(trailers, true));
    if (!clientFinished) {
      // The client is still sending: reset the stream after the trailers, as gRPC servers do.
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void execute(Runnable task) {
    ctx.executor().execute(task);
  }

  /** The client cancelled or the connection went: the method hears it unless the call had ended. */
  private void cancelled() {
    boolean wasOpen = !closed;
    closed = true;
    cancelDeadline();
    if (wasOpen && method != null) {
      method.onCancel(this);
    }
  }

  @Override
  public void runInOrder(int delayMs, Runnable task) {
    if (delayMs == 0 && delayed.isEmpty()) {
      task.run();
      return;
    }
    delayed.add(new Delayed(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs), task));
    if (delayed.size() == 1) {
      scheduleHead();
    }
  }

  /** One timer at a time, for the head of the queue: timers alone would not keep the order. */
  private void scheduleHead() {
    long wait = delayed.peek().at() - System.nanoTime();
    ctx.executor().schedule(this::runDueTasks, Math.max(0, wait), TimeUnit.NANOSECONDS);
  }

  private void runDueTasks() {
    // The head is due; the tasks behind it run now too if their own time has come.
    delayed.poll().task().run();
    while (!delayed.isEmpty() && delayed.peek().at() - System.nanoTime() <= 0) {
      delayed.poll().task().run();
    }
    if (!delayed.isEmpty()) {
      scheduleHead();
    }
  }

  private record Delayed(long at, Runnable task) {}

  private static Http2Headers responseHeaders() {
    return new DefaultHttp2Headers().status("200")
        .set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
  }

  private void startDeadline(CharSequence grpcTimeout) {
    long nanos = parseTimeoutNanos(grpcTimeout.toString());
    if (nanos < 0) {
      close(Status.INTERNAL.withDescription("grpc-timeout " + ErrorText.quote(grpcTimeout)
          + " (expected: 1-8 digits and one of H M S m u n)"));
      return;
    }
    deadlineTimer = ctx.executor().schedule(
        () -> close(Status.DEADLINE_EXCEEDED.withDescription(
            "deadline of " + grpcTimeout + " exceeded on the test backend")),
        nanos, TimeUnit.NANOSECONDS);
  }

  private void cancelDeadline() {
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
      deadlineTimer = null;
    }
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  /** Returns the request headers as metadata: every header but the pseudo-headers. */
  private static Metadata metadata(Http2Headers headers) {
    Metadata metadata = new Metadata();
    for (Map.Entry<CharSequence, CharSequence> h : headers) {
      String name = h.getKey().toString();
      if (name.startsWith(":")) {
        continue;
      }
      if (name.endsWith(Metadata.BINARY_SUFFIX)) {
        try {
          metadata.putBinary(name, Base64.getDecoder().decode(h.getValue().toString()));
        } catch (IllegalArgumentException e) {
          LOG.log(Level.DEBUG, "test backend: header " + name + " is not base64; dropped");
        }
      } else {
        metadata.putAscii(name, h.getValue().toString());
      }
    }
    return metadata;
  }

  /** Parses a {@code grpc-timeout} value; returns -1 if it is malformed. */
  static long parseTimeoutNanos(String value) {
    int n = value.length();
    if (n < 2 || n > 9) {
      return -1;
    }
    long amount = 0;
    for (int i = 0; i < n - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      amount = amount * 10 + (c - '0');
    }
    TimeUnit unit = switch (value.charAt(n - 1)) {
      case 'H' -> TimeUnit.HOURS;
      case 'M' -> TimeUnit.MINUTES;
      case 'S' -> TimeUnit.SECONDS;
      case 'm' -> TimeUnit.MILLISECONDS;
      case 'u' -> TimeUnit.MICROSECONDS;
      case 'n' -> TimeUnit.NANOSECONDS;
      default -> null;
    };
    return unit == null ? -1 : unit.toNanos(amount);
  }

  /** Percent-encodes a {@code grpc-message} as the gRPC HTTP/2 spec asks. */
  static String percentEncode(String message) {
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(utf8.length);
    for (byte b : utf8) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return sb.toString();
  }
}
