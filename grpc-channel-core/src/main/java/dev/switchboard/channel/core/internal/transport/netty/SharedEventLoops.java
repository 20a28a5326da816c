package dev.switchboard.channel.core.internal.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops shared by every factory of the process that was not given its own: created on
 * first use, with daemon threads, and shut down when the last user releases them. They are epoll
 * loops ({@code switchboard-epoll-*} threads) where epoll is available, NIO loops
 * ({@code switchboard-nio-*}) otherwise or with {@code -Dswitchboard.transport.nio=true}, read
 * each time the loops are created.
 *
 * <p>Thread-safe.
 */
final class SharedEventLoops {

  private static final Object LOCK = new Object();
  private static EventLoopGroup group;
  private static int users;

  private SharedEventLoops() {}

  /** Returns the shared loops, creating them if needed; pair with {@link #release}. */
  static EventLoopGroup acquire() {
    synchronized (LOCK) {
      if (group == null) {
        NettyIo io = NettyIo.preferred();
        group = new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory(io.threadName(), true), io.handlerFactory());
      }
      users++;
      return group;
    }
  }

  /** Releases one use; the last one shuts the loops down (without waiting). */
  static void release(EventLoopGroup released) {
    synchronized (LOCK) {
      if (released != group || users == 0) {
        throw new IllegalStateException("released event loops that are not the shared ones in use");
      }
      if (--users == 0) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        group = null;
      }
    }
  }

  /** Returns how many factories use the shared loops; for tests. */
  static int users() {
    synchronized (LOCK) {
      return users;
    }
  }
}
