package dev.switchboard.channel.testing.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Shuts one HTTP/2 connection down the way gRPC servers do (RFC 9113 section 6.8), so that no
 * stream is lost to the race with a client that is opening one: a first GOAWAY with the largest
 * stream id and a PING; when the PING is acknowledged (the client has seen the GOAWAY), a second
 * GOAWAY with the id of the last stream really opened; then the codec's graceful close, which waits
 * for the open streams to finish.
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

  private final Duration pingWait;
  private ChannelHandlerContext ctx;
  private boolean started;
  private boolean finished;
  private ScheduledFuture<?> pingTimeout;

  GracefulShutdownHandler(Duration gracePeriod) {
    this.pingWait = gracePeriod.compareTo(MAX_PING_WAIT) < 0 ? gracePeriod : MAX_PING_WAIT;
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
    ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
    ctx.writeAndFlush(new DefaultHttp2PingFrame(PING_DATA));
    pingTimeout = ctx.executor().schedule(this::finish, pingWait.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (started && msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == PING_DATA) {
      finish();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (pingTimeout != null) {
      pingTimeout.cancel(false);
    }
    ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    // The codec has sent GOAWAY already, so its close only waits for the open streams.
    ctx.channel().close();
  }
}
