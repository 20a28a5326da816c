package dev.switchboard.channel.core.internal.transport.netty;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The two I/O transports a connection can run on: Linux's native epoll, which grpc-java also uses
 * by default, and the JDK's NIO, which works everywhere. Each names its event loops' I/O handler,
 * socket channel class and thread name.
 *
 * <p>Immutable.
 */
enum NettyIo {
  EPOLL("switchboard-epoll", EpollSocketChannel.class) {
    @Override
    IoHandlerFactory handlerFactory() {
      return EpollIoHandler.newFactory();
    }
  },
  NIO("switchboard-nio", NioSocketChannel.class) {
    @Override
    IoHandlerFactory handlerFactory() {
      return NioIoHandler.newFactory();
    }
  };

  /** The system property that, set to {@code true}, makes the shared event loops NIO. */
  static final String NIO_PROPERTY = "switchboard.transport.nio";

  private final String threadName;
  private final Class<? extends SocketChannel> channelClass;

  NettyIo(String threadName, Class<? extends SocketChannel> channelClass) {
    this.threadName = threadName;
    this.channelClass = channelClass;
  }

  /** Returns the factory of the I/O handlers of this transport's event loops. */
  abstract IoHandlerFactory handlerFactory();

  /** Returns the prefix of this transport's event-loop thread names. */
  String threadName() {
    return threadName;
  }

  /** Returns the socket channel class that runs on this transport's event loops. */
  Class<? extends SocketChannel> channelClass() {
    return channelClass;
  }

  /**
   * Returns the transport of the shared event loops: NIO when {@value #NIO_PROPERTY} is
   * {@code true}, else epoll where its native library loads (Linux x86_64 with the native jar),
   * else NIO.
   */
  static NettyIo preferred() {
    if (Boolean.getBoolean(NIO_PROPERTY)) {
      return NIO;
    }
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /**
   * Returns the transport of {@code loop}, so that a caller's group gets a channel it can
   * register: epoll only for an epoll loop, NIO for anything else (a loop of another kind then
   * fails the connection, as before there was a choice).
   */
  static NettyIo of(EventLoop loop) {
    return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class) ? EPOLL : NIO;
  }
}
