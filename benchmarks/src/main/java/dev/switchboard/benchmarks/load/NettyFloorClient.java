package dev.switchboard.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.logging.LogLevel;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The floor: unary calls over a bare Netty HTTP/2 client ({@link Http2ConnectionHandler}) with
 * hand-written gRPC framing (HEADERS, then one DATA frame holding the 5-byte prefix and the
 * pre-encoded request, end of stream) and no channel machinery: no resolver, balancer, call
 * objects, executor hop or marshalling. It runs on one event loop of native epoll, as both real
 * clients do by default (NIO only where epoll does not load; {@link TransportProbe} reports which).
 * Callbacks always run on that event loop; writes made while a read is in progress are flushed once
 * at the end of that read. Unary only. Netty's default flow-control windows (64 KiB) are kept, so
 * with large responses in flight it is a floor only in name: the comparisons use it at size 0.
 *
 * <p>Thread-safe: calls from other threads hop onto the event loop.
 */
final class NettyFloorClient implements RpcClient {

  private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  private final Http2Headers requestHeaders;
  private volatile byte[] request;
  /** Calls in flight by stream id; event loop only. */
  private final Map<Integer, Completion> inFlight = new HashMap<>();
  private final Channel channel;
  private Http2ConnectionHandler http2;
  private ChannelHandlerContext http2Ctx;
  /** Whether the event loop is inside a read; event loop only. */
  private boolean reading;

  NettyFloorClient(int port, byte[] request) {
    this.request = request;
    requestHeaders = new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/" + UNARY)
        .authority("127.0.0.1:" + port)
        .add("content-type", "application/grpc")
        .add("te", "trailers");
    Http2Connection connection = new DefaultHttp2Connection(false);
    channel = new Bootstrap()
        .group(group)
        .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Http2ConnectionHandlerBuilder builder = new Http2ConnectionHandlerBuilder();
            if (Boolean.getBoolean("netty.floor.frames")) { // debugging: every frame, at INFO
              builder.frameLogger(new Http2FrameLogger(LogLevel.INFO, NettyFloorClient.class));
            }
            http2 = builder
                .connection(connection)
                .frameListener(new Listener())
                .build();
            ch.pipeline().addLast(http2, new ReadTracker());
            // Set here, on the event loop, before any read can need it; the connect future
            // publishes it to the caller.
            http2Ctx = ch.pipeline().context(http2);
          }
        })
        .connect("127.0.0.1", port)
        .syncUninterruptibly()
        .channel();
  }


  @Override
  public void useRequest(byte[] request) {
    this.request = request;
  }
  @Override
  public void blockingUnary() {
    throw new UnsupportedOperationException("the floor runs async calls on its event loop only");
  }

  @Override
  public void asyncUnary(Completion done) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> asyncUnary(done));
      return;
    }
    int id = http2.connection().local().incrementAndGetNextStreamId();
    inFlight.put(id, done);
    http2.encoder().writeHeaders(http2Ctx, id, requestHeaders, 0, false, http2Ctx.newPromise())
        .addListener(f -> {
          if (!f.isSuccess()) {
            finish(id, f.cause());
          }
        });
    // The gRPC frame: not compressed, the length, the message.
    byte[] body = request;
    ByteBuf frame = http2Ctx.alloc().buffer(5 + body.length).writeByte(0).writeInt(body.length)
        .writeBytes(body);
    http2.encoder().writeData(http2Ctx, id, frame, 0, true, http2Ctx.newPromise())
        .addListener(f -> {
          if (!f.isSuccess()) {
            finish(id, f.cause());
          }
        });
    if (!reading) {
      // Through the handler, not its context: DATA waits in its flow controller until then.
      http2.flush(http2Ctx);
    }
  }

  @Override
  public Stream bidi(Runnable onResponse, Consumer<Throwable> onError) {
    throw new UnsupportedOperationException("the floor has unary calls only");
  }

  @Override
  public Stream serverStreaming(Runnable onMessage, Consumer<Throwable> onError) {
    throw new UnsupportedOperationException("the floor has unary calls only");
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  private void finish(int streamId, Throwable error) {
    Completion done = inFlight.remove(streamId);
    if (done != null) {
      done.done(error);
    }
  }

  /** Flushes once per read batch, after every response in it has started its next call. */
  private final class ReadTracker extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      reading = false;
      http2.flush(http2Ctx);
      ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      // A lost connection must not leave a chain waiting forever: fail what is in flight.
      IOException closed = new IOException("connection closed");
      for (Integer id : List.copyOf(inFlight.keySet())) {
        finish(id, closed);
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      System.err.println("netty-floor: " + cause);
    }
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      reading = true;
      // The response message is not looked at; its bytes go back to the flow-control window.
      return data.readableBytes() + padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endStream) {
      reading = true;
      if (endStream) {
        CharSequence status = headers.get(GRPC_STATUS);
        finish(streamId, status != null && status.length() == 1 && status.charAt(0) == '0'
            ? null
            : new IOException("grpc-status " + status + ", headers " + headers));
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endStream) {
      onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      System.err.println("netty-floor: GOAWAY " + errorCode + " " + debugData.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) throws Http2Exception {
      finish(streamId, new IOException("RST_STREAM " + errorCode));
    }
  }
}
