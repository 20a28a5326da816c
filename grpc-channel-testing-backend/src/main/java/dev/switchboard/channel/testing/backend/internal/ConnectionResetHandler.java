package dev.switchboard.channel.testing.backend.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * Last in a connection's pipeline: a client that resets or drops its connection (a process that
 * exits mid-connection, a test that closes abruptly) is normal for a test backend, so the
 * connection is closed without Netty's "reached the tail of the pipeline" warning. Anything else
 * still reaches the tail and is logged there. Stateless and shared by every connection.
 */
@ChannelHandler.Sharable
final class ConnectionResetHandler extends ChannelInboundHandlerAdapter {

  static final ConnectionResetHandler INSTANCE = new ConnectionResetHandler();

  private ConnectionResetHandler() {}

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      ctx.close();
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }
}
