package dev.switchboard.channel.testing.backend.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Shuts one HTTP/2 connection down the way gRPC servers do (RFC 9113 section 6.8), so that no
 * call is lost:
 *
 * <ol>
 *   <li>a first GOAWAY with the largest stream id, and a PING;
 *   <li>when the PING is acknowledged (the client has seen the GOAWAY), a second GOAWAY with the id
 *       of the last stream really opened: later streams are refused, and the client retries them;
 *   <li>when the last open stream has finished, a half-close (FIN) once everything is flushed. The
 *       client reads every response, then closes its side, and so does the server. Closing the
 *       socket outright could reset it while client frames are unread, and the client would lose
 *       the last responses still in its receive buffer.
 * </ol>
 *
 * <p>After the grace period the connection is closed whatever its state.
 *
 * <p>Sits at the end of the connection's pipeline, where the PING acknowledgement arrives; passes
 * every other message on.
 *
 * <p>Not thread-safe: runs on the connection's event loop only.
 */
final class GracefulShutdownHandler extends ChannelInboundHandlerAdapter {

  /** What grpc-java's server waits for the PING acknowledgement. */
  private static final Duration MAX_PING_WAIT = Duration.ofSeconds(10);
  private static final long PING_DATA = 0x5342_4b45_4e44_0001L;

  private final Duration gracePeriod;
  private ChannelHandlerContext ctx;
  private boolean started;
  private boolean goAwayFinal;
  private boolean outputClosed;
  private ScheduledFuture<?> pingTimeout;

  GracefulShutdownHandler(Duration gracePeriod) {
    this.gracePeriod = gracePeriod;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Starts the shutdown; call on the event loop. */
  void begin() {
    if (started) {
      return;
    }
    started = true;
    if (!ctx.channel().isActive()) {
      ctx.channel().close();
      return;
    }
    // The backstop: closing from the first handler skips every graceful step.
    ctx.executor().schedule(
        () -> ctx.pipeline().firstContext().close(), gracePeriod.toNanos(), TimeUnit.NANOSECONDS);
    ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
    ctx.writeAndFlush(new DefaultHttp2PingFrame(PING_DATA));
    Duration pingWait = gracePeriod.compareTo(MAX_PING_WAIT) < 0 ? gracePeriod : MAX_PING_WAIT;
    pingTimeout = ctx.executor().schedule(this::sendFinalGoAway, pingWait.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (started && msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == PING_DATA) {
      sendFinalGoAway();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void sendFinalGoAway() {
    if (goAwayFinal) {
      return;
    }
    goAwayFinal = true;
    pingTimeout.cancel(false);
    // Without extra stream ids the codec sends the id of the last stream opened.
    ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    Http2Connection connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
    if (connection.numActiveStreams() == 0) {
      closeOutput();
      return;
    }
    connection.addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        if (connection.numActiveStreams() == 0) {
          closeOutput();
        }
      }
    });
  }

  private void closeOutput() {
    if (outputClosed) {
      return;
    }
    outputClosed = true;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
      if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
        duplex.shutdownOutput();
      } else {
        ctx.channel().close();
      }
    });
  }
}
