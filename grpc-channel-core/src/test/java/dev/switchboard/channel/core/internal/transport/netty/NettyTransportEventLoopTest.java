package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.EMPTY_CALL;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.FULL_DUPLEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import io.grpc.testing.integration.EmptyProtos;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayInputStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which I/O transport connections run on (epoll or NIO), against grpc-java's server: each test
 * makes a real call over the connection it inspects.
 */
class NettyTransportEventLoopTest {

  private GrpcJavaInteropServer server;

  @BeforeEach
  void setUp() throws Exception {
    server = GrpcJavaInteropServer.plaintext();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
  }

  private static boolean linuxX8664() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /**
   * What a connection ran on: its channel, its loop's thread name, and its TCP_NODELAY and
   * SO_KEEPALIVE options, read while it was open.
   */
  private record Connection(Channel channel, String threadName, boolean noDelay, boolean keepAlive) {}

  private Connection connectAndCall(NettyTransportFactory factory) throws Exception {
    TransportRecorder events = new TransportRecorder();
    NettyClientTransport transport = (NettyClientTransport) factory.newClientTransport(
        server.address(), new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
    transport.start(events);
    events.awaitReady();
    try {
      StreamRecorder rec = new StreamRecorder();
      ClientStream stream = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
      stream.start(rec);
      stream.request(1);
      stream.writeMessage(
          new ByteArrayInputStream(EmptyProtos.Empty.getDefaultInstance().toByteArray()));
      stream.halfClose();
      assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
      String thread = transport.eventLoop().submit(() -> Thread.currentThread().getName())
          .get(10, TimeUnit.SECONDS);
      Channel channel = transport.channel();
      return new Connection(channel, thread, channel.config().getOption(ChannelOption.TCP_NODELAY),
          channel.config().getOption(ChannelOption.SO_KEEPALIVE));
    } finally {
      transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      events.awaitTerminated();
    }
  }

  private static void assertSocketOptions(Connection c) {
    assertThat(c.noDelay()).as("TCP_NODELAY").isTrue();
    assertThat(c.keepAlive()).as("SO_KEEPALIVE").isTrue();
  }

  @Test
  void sharedLoopsAreEpollOnLinuxX8664() throws Exception {
    assumeTrue(linuxX8664(), "epoll's native library ships for Linux x86_64 only");
    assumeTrue(!Boolean.getBoolean(NettyIo.NIO_PROPERTY), "NIO forced for this run");
    Epoll.ensureAvailability(); // the native library loaded from its module: the reason if not
    try (NettyTransportFactory factory = new NettyTransportFactory(
        NettyTransportSettings.newBuilder().usePlaintext().build())) {
      Connection c = connectAndCall(factory);
      assertThat(c.channel()).isInstanceOf(EpollSocketChannel.class);
      assertThat(c.threadName()).startsWith("switchboard-epoll-");
      assertSocketOptions(c);
    }
  }

  @Test
  void nioPropertyMakesTheSharedLoopsNio() throws Exception {
    assertThat(SharedEventLoops.users())
        .as("no factory holds the shared loops (else they exist already, of the earlier kind)")
        .isZero();
    String before = System.getProperty(NettyIo.NIO_PROPERTY);
    System.setProperty(NettyIo.NIO_PROPERTY, "true");
    try (NettyTransportFactory factory = new NettyTransportFactory(
        NettyTransportSettings.newBuilder().usePlaintext().build())) {
      Connection c = connectAndCall(factory);
      assertThat(c.channel()).isInstanceOf(NioSocketChannel.class);
      assertThat(c.threadName()).startsWith("switchboard-nio-");
      assertSocketOptions(c);
    } finally {
      if (before == null) {
        System.clearProperty(NettyIo.NIO_PROPERTY);
      } else {
        System.setProperty(NettyIo.NIO_PROPERTY, before);
      }
    }
  }

  @Test
  void callersNioGroupGetsNioSockets() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("test-nio", true), NioIoHandler.newFactory());
    try (NettyTransportFactory factory = new NettyTransportFactory(
        NettyTransportSettings.newBuilder().usePlaintext().eventLoopGroup(group).build())) {
      Connection c = connectAndCall(factory);
      assertThat(c.channel()).isInstanceOf(NioSocketChannel.class);
      assertThat(c.threadName()).startsWith("test-nio-");
      assertSocketOptions(c);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void callersEpollGroupGetsEpollSockets() throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll not available here");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("test-epoll", true), EpollIoHandler.newFactory());
    try (NettyTransportFactory factory = new NettyTransportFactory(
        NettyTransportSettings.newBuilder().usePlaintext().eventLoopGroup(group).build())) {
      Connection c = connectAndCall(factory);
      assertThat(c.channel()).isInstanceOf(EpollSocketChannel.class);
      assertThat(c.threadName()).startsWith("test-epoll-");
      assertSocketOptions(c);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void streamsOfAConnectionWhoseLoopShutDownCloseAndNeverThrow() throws Exception {
    // A channel's close can meet a connection whose shared loops its own termination just shut
    // down (the load harness closing a channel after a blocking call hit it): nothing may throw
    // out of close, and no stream may wait for a loop that is gone.
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("test-gone", true), NioIoHandler.newFactory());
    try (NettyTransportFactory factory = new NettyTransportFactory(
        NettyTransportSettings.newBuilder().usePlaintext().eventLoopGroup(group).build())) {
      TransportRecorder events = new TransportRecorder();
      NettyClientTransport transport = (NettyClientTransport) factory.newClientTransport(
          server.address(), new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
      transport.start(events);
      events.awaitReady();
      StreamRecorder open = new StreamRecorder();
      ClientStream openStream = transport.newStream(FULL_DUPLEX, new Metadata(), CallOptions.DEFAULT);
      openStream.start(open);
      StreamRecorder unstarted = new StreamRecorder();
      ClientStream unstartedStream = transport.newStream(FULL_DUPLEX, new Metadata(), CallOptions.DEFAULT);
      StreamRecorder unsent = new StreamRecorder();
      ClientStream unsentStream = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
      unsentStream.start(unsent); // a one-message stream: nothing reaches the loop before its half-close

      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();

      assertThat(open.awaitClosed().status().code()).as("closed with its connection")
          .isEqualTo(Status.Code.UNAVAILABLE);
      openStream.cancel(Status.CANCELLED.withDescription("too late"));
      unstartedStream.start(unstarted);
      TestListeners.Closed refused = unstarted.awaitClosed();
      assertThat(refused.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.status().description())
          .hasValueSatisfying(d -> assertThat(d).contains("event loop has shut down"));
      assertThat(refused.progress()).isEqualTo(ClientStreamListener.RpcProgress.REFUSED);
      unsentStream.writeMessage(new ByteArrayInputStream(EmptyProtos.Empty.getDefaultInstance().toByteArray()));
      unsentStream.halfClose();
      assertThat(unsent.awaitClosed().progress()).isEqualTo(ClientStreamListener.RpcProgress.REFUSED);
      transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      events.awaitTerminated();
      assertThat(open.closeCount.get() + unstarted.closeCount.get() + unsent.closeCount.get())
          .as("each stream closed once").isEqualTo(3);
    }
  }
}
