package dev.switchboard.channel.core.internal.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/2 server on 127.0.0.1 that answers each stream with the fault named by its method
 * ({@code /misbehave.Service/<Behaviour>}): bad frames, bad headers, resets, GOAWAY, silence. Method
 * {@code Ok} answers properly (headers, one message "pong", trailers with grpc-status 0), so a test
 * can check that the same connection still works after a fault.
 *
 * <p>Thread-safe.
 */
final class MisbehavingServer implements AutoCloseable {

  /** What the server does with a stream. */
  enum Behaviour {
    /** Headers, one message, OK trailers. */
    Ok,
    /** A frame header announcing 10 MiB. */
    Oversized,
    /** A frame header announcing 100 bytes, 10 bytes of data, then OK trailers. */
    LengthBeyondData,
    /**
     * A frame header announcing 100 bytes, 10 bytes of data, then trailers with RESOURCE_EXHAUSTED
     * "server limit".
     */
    ErrorTrailersMidMessage,
    /** A message with the compressed flag and no grpc-encoding. */
    CompressedWithoutEncoding,
    /** Headers with grpc-encoding "br". */
    UnknownEncoding,
    /** Trailers with grpc-status "abc". */
    InvalidGrpcStatus,
    /** Trailers with grpc-status 99 and a grpc-message. */
    UnknownGrpcStatus,
    /** A second HEADERS frame without END_STREAM. */
    TwoHeaders,
    /** Binary header value that is not base64. */
    BadBinaryHeader,
    /** Trailers without grpc-status. */
    MissingGrpcStatus,
    /** Response headers without content-type. */
    MissingContentType,
    /** Response headers with content-type text/html. */
    HtmlContentType,
    /** A trailers-only response with :status 503. */
    Http503,
    /** A trailers-only response with :status 404 and no grpc-status. */
    Http404,
    /** Headers, half a message, then the connection closes. */
    CloseMidMessage,
    /** Nothing at all. */
    Silent,
    /** RST_STREAM(REFUSED_STREAM). */
    RefuseStream,
    /** RST_STREAM(CANCEL). */
    CancelStream,
    /** A message then END_STREAM on a DATA frame, no trailers. */
    EndOnData,
    /** GOAWAY(NO_ERROR) naming the stream before this one as the last processed. */
    GoAwayBelow,
    /** Response headers with a 9 KiB value, over the client's 8 KiB header list limit. */
    HugeHeaders,
    /** The message "pong" in a DATA frame of its own, split from its header, then OK trailers. */
    SplitFrames,
    /**
     * An OK response amid 200 PING acknowledgements nobody asked for, half of them with the
     * payload of the client's BDP pings.
     */
    UnsolicitedPingAcks,
    /**
     * An OK response after SETTINGS with a MAX_HEADER_LIST_SIZE of 16 bytes: no later request's
     * headers fit.
     */
    TinyHeaderListLimit,
    /**
     * A connection WINDOW_UPDATE of 2^31 - 1 (the client's window overflows: a connection error),
     * then an OK response.
     */
    WindowOverflow,
  }

  private final RawHttp2Server server;
  final AtomicInteger connections;
  /** PING frames received (Netty acknowledges them). */
  final AtomicInteger pings = new AtomicInteger();
  /** The compressed flag of each gRPC message received at the start of a DATA frame. */
  final java.util.Queue<Integer> messageFlags = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** DATA frames received, as "length" or "length:END_STREAM". */
  final java.util.Queue<String> dataFrames = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Request headers received. */
  final java.util.Queue<Http2Headers> requestHeaders = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** RST_STREAM frames received, as "streamId:errorCode". */
  final java.util.Queue<String> resets = new java.util.concurrent.ConcurrentLinkedQueue<>();

  MisbehavingServer() throws InterruptedException {
    server = new RawHttp2Server(() -> Handler.create(this));
    connections = server.connections;
  }

  InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }

  private static final class Handler extends Http2ConnectionHandler {

    static Handler create(MisbehavingServer owner) {
      Http2Connection connection = new DefaultHttp2Connection(true);
      Http2ConnectionEncoder encoder =
          new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter());
      Http2ConnectionDecoder decoder =
          new DefaultHttp2ConnectionDecoder(connection, encoder, new DefaultHttp2FrameReader());
      return new Handler(decoder, encoder, owner);
    }

    private Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        MisbehavingServer owner) {
      super(decoder, encoder, new Http2Settings());
      decoder.frameListener(new Http2FrameAdapter() {
        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
            int padding, boolean endOfStream) {
          owner.requestHeaders.add(headers);
          String path = String.valueOf(headers.path());
          respond(ctx, streamId, Behaviour.valueOf(path.substring(path.lastIndexOf('/') + 1)));
        }

        @Override
        public void onPingRead(ChannelHandlerContext ctx, long data) {
          owner.pings.incrementAndGet();
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
            boolean endOfStream) {
          owner.dataFrames.add(data.readableBytes() + (endOfStream ? ":END_STREAM" : ""));
          if (data.readableBytes() >= 5) {
            owner.messageFlags.add((int) data.getUnsignedByte(data.readerIndex()));
          }
          return data.readableBytes() + padding;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
          owner.resets.add(streamId + ":" + Http2Error.valueOf(errorCode));
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
            int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
          onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }
      });
    }

    private static Http2Headers okHeaders() {
      return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
    }

    private static Http2Headers okTrailers() {
      return new DefaultHttp2Headers().add("grpc-status", "0");
    }

    private static ByteBuf message(int flag, int declaredLength, byte[] body) {
      return Unpooled.buffer().writeByte(flag).writeInt(declaredLength).writeBytes(body);
    }

    private void pingAcks(ChannelHandlerContext ctx, int count) {
      for (int i = 0; i < count; i++) {
        encoder().writePing(ctx, true, i % 2 == 0 ? BdpEstimator.PING_PAYLOAD : i, ctx.newPromise());
      }
    }

    private void headers(ChannelHandlerContext ctx, int id, Http2Headers h, boolean end) {
      encoder().writeHeaders(ctx, id, h, 0, end, ctx.newPromise());
    }

    private void data(ChannelHandlerContext ctx, int id, ByteBuf data, boolean end) {
      encoder().writeData(ctx, id, data, 0, end, ctx.newPromise());
    }

    private void respond(ChannelHandlerContext ctx, int id, Behaviour behaviour) {
      byte[] pong = "pong".getBytes(StandardCharsets.US_ASCII);
      switch (behaviour) {
        case Ok:
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 4, pong), false);
          headers(ctx, id, okTrailers(), true);
          break;
        case Oversized:
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 10 * 1024 * 1024, new byte[100]), false);
          break;
        case LengthBeyondData:
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 100, new byte[10]), false);
          headers(ctx, id, okTrailers(), true);
          break;
        case ErrorTrailersMidMessage:
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 100, new byte[10]), false);
          headers(ctx, id, new DefaultHttp2Headers().add("grpc-status", "8")
              .add("grpc-message", "server%20limit"), true);
          break;
        case CompressedWithoutEncoding:
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(1, 4, pong), false);
          headers(ctx, id, okTrailers(), true);
          break;
        case UnknownEncoding:
          headers(ctx, id, okHeaders().add("grpc-encoding", "br"), false);
          data(ctx, id, message(1, 4, pong), false);
          headers(ctx, id, okTrailers(), true);
          break;
        case InvalidGrpcStatus:
          headers(ctx, id, okHeaders(), false);
          headers(ctx, id, new DefaultHttp2Headers().add("grpc-status", "abc"), true);
          break;
        case UnknownGrpcStatus:
          headers(ctx, id, okHeaders(), false);
          headers(ctx, id, new DefaultHttp2Headers().add("grpc-status", "99")
              .add("grpc-message", "odd%20code"), true);
          break;
        case TwoHeaders:
          headers(ctx, id, okHeaders(), false);
          // Netty's encoder refuses this; the raw frame writer does not.
          frameWriter().writeHeaders(ctx, id, new DefaultHttp2Headers().add("x-more", "1"), 0, false,
              ctx.newPromise());
          break;
        case BadBinaryHeader:
          headers(ctx, id, okHeaders().add("x-id-bin", "!!not base64!!"), false);
          headers(ctx, id, okTrailers(), true);
          break;
        case MissingGrpcStatus:
          headers(ctx, id, okHeaders(), false);
          headers(ctx, id, new DefaultHttp2Headers().add("x-other", "1"), true);
          break;
        case MissingContentType:
          headers(ctx, id, new DefaultHttp2Headers().status("200"), false);
          data(ctx, id, message(0, 4, pong), false);
          headers(ctx, id, okTrailers(), true);
          break;
        case HtmlContentType:
          headers(ctx, id, new DefaultHttp2Headers().status("200").add("content-type", "text/html"), false);
          data(ctx, id, Unpooled.copiedBuffer("<html>", StandardCharsets.US_ASCII), true);
          break;
        case Http503:
          headers(ctx, id, new DefaultHttp2Headers().status("503").add("content-type", "text/plain"), true);
          break;
        case Http404:
          headers(ctx, id, new DefaultHttp2Headers().status("404"), true);
          break;
        case CloseMidMessage:
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 1000, new byte[10]), false);
          ctx.flush();
          ctx.close();
          break;
        case Silent:
          break;
        case RefuseStream:
          resetStream(ctx, id, Http2Error.REFUSED_STREAM.code(), ctx.newPromise());
          break;
        case CancelStream:
          resetStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
          break;
        case EndOnData:
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 4, pong), true);
          break;
        case GoAwayBelow:
          goAway(ctx, id - 2, Http2Error.NO_ERROR.code(),
              Unpooled.copiedBuffer("going away", StandardCharsets.US_ASCII), ctx.newPromise());
          break;
        case HugeHeaders:
          headers(ctx, id, okHeaders().add("x-huge", "x".repeat(9 * 1024)), false);
          break;
        case SplitFrames:
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, Unpooled.buffer().writeByte(0).writeShort(0), false);
          data(ctx, id, Unpooled.buffer().writeShort(4), false);
          data(ctx, id, Unpooled.wrappedBuffer(pong), false);
          headers(ctx, id, okTrailers(), true);
          break;
        case UnsolicitedPingAcks:
          pingAcks(ctx, 100);
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 4, pong), false);
          pingAcks(ctx, 100);
          headers(ctx, id, okTrailers(), true);
          break;
        case WindowOverflow:
          frameWriter().writeWindowUpdate(ctx, 0, Integer.MAX_VALUE, ctx.newPromise());
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 4, pong), false);
          headers(ctx, id, okTrailers(), true);
          break;
        case TinyHeaderListLimit:
          encoder().writeSettings(ctx, new Http2Settings().maxHeaderListSize(16), ctx.newPromise());
          headers(ctx, id, okHeaders(), false);
          data(ctx, id, message(0, 4, pong), false);
          headers(ctx, id, okTrailers(), true);
          break;
        default:
          throw new AssertionError(behaviour);
      }
      // The handler's flush: the flow controller's pending DATA goes out with the HEADERS written
      // before it, in one write (ctx.flush() alone would send the HEADERS first, on their own).
      try {
        flush(ctx);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
