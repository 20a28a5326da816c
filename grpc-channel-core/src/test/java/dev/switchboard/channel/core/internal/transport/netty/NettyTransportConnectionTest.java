package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.EMPTY_CALL;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.FULL_DUPLEX;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.STREAMING_OUTPUT;
import static dev.switchboard.channel.core.internal.transport.netty.TestListeners.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import com.google.protobuf.ByteString;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener.RpcProgress;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.Closed;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import io.grpc.testing.integration.Messages;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

/** Connection life cycle and flow control against grpc-java's server. */
class NettyTransportConnectionTest {

  private static ManagedClientTransport connect(NettyTransportFactory factory, SocketAddress address,
      TransportRecorder events) {
    ManagedClientTransport t = factory.newClientTransport(address,
        new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
    t.start(events);
    return t;
  }

  private static NettyTransportFactory plaintextFactory() {
    return new NettyTransportFactory(NettyTransportSettings.newBuilder().usePlaintext().build());
  }

  private static byte[] pingPong(int responseSize) {
    return Messages.StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(responseSize))
        .build().toByteArray();
  }

  @Test
  void slowConsumerHoldsTheServerBackAndBufferingStaysWithinTheWindow() throws Exception {
    int window = 65_535;
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext();
        NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.newBuilder()
            .usePlaintext().flowControlWindow(window).build())) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = connect(factory, server.address(), events);
      events.awaitReady();
      Messages.StreamingOutputCallRequest.Builder req = Messages.StreamingOutputCallRequest.newBuilder();
      int count = 40;
      for (int i = 0; i < count; i++) {
        req.addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(16 * 1024));
      }
      StreamRecorder rec = new StreamRecorder();
      NettyClientStream stream = (NettyClientStream) transport.newStream(STREAMING_OUTPUT,
          new Metadata(), CallOptions.DEFAULT);
      stream.start(rec);
      stream.request(1);
      stream.writeMessage(new ByteArrayInputStream(req.build().toByteArray()));
      stream.halfClose();
      rec.awaitMessage();
      // The server fills what is left of the window, then has to wait for us.
      await(() -> buffered(stream) > window / 2, "the server to fill the stream window");
      assertThat(buffered(stream)).isLessThanOrEqualTo(window);
      assertThat(rec.messageCount.get()).isEqualTo(1);
      assertThat(rec.closed).isNotDone();

      stream.request(count);
      Closed closed = rec.awaitClosed();
      assertThat(closed.status().code()).isEqualTo(Status.Code.OK);
      assertThat(rec.messageCount.get()).isEqualTo(count);
      transport.shutdown(Status.UNAVAILABLE.withDescription("done"));
      events.awaitTerminated();
    }
  }

  private static int buffered(NettyClientStream stream) {
    try {
      return stream.bufferedInboundBytes();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void gracefulServerShutdownLetsTheInFlightStreamFinishAndRefusesNewOnes() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext();
        NettyTransportFactory factory = plaintextFactory()) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = connect(factory, server.address(), events);
      events.awaitReady();
      StreamRecorder rec = new StreamRecorder();
      ClientStream stream = transport.newStream(FULL_DUPLEX, new Metadata(), CallOptions.DEFAULT);
      stream.start(rec);
      stream.request(1);
      stream.writeMessage(new ByteArrayInputStream(pingPong(10)));
      rec.awaitMessage();

      server.shutdownGracefully();
      Status shutdown = events.awaitShutdown();
      assertThat(shutdown.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(shutdown.description().orElse("")).contains("GOAWAY");

      StreamRecorder refused = new StreamRecorder();
      ClientStream late = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
      late.start(refused);
      late.halfClose(); // a unary stream goes out with its half-close, as in grpc-java
      Closed refusedClosed = refused.awaitClosed();
      assertThat(refusedClosed.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refusedClosed.progress()).isEqualTo(RpcProgress.REFUSED);

      stream.request(1);
      stream.writeMessage(new ByteArrayInputStream(pingPong(20)));
      assertThat(rec.awaitMessage()).isNotEmpty();
      stream.halfClose();
      stream.request(1);
      assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
      events.awaitTerminated();
      assertThat(events.events).containsSubsequence("ready", "shutdown", "terminated");
    }
  }

  @Test
  void connectFailureNamesTheAddressThenTerminates() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    try (NettyTransportFactory factory = plaintextFactory()) {
      TransportRecorder events = new TransportRecorder();
      connect(factory, new InetSocketAddress("127.0.0.1", port), events);
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("127.0.0.1:" + port)
          .endsWith(": Connection refused").as("no native system call in the words")
          .doesNotContain("(..)");
      assertThat(events.events).containsExactly("shutdown", "terminated");
    }
  }

  @Test
  void connectThatHangsTimesOutNamingTheAddress() throws Exception {
    // A listener that never accepts, with its accept queue filled: Linux drops further SYNs.
    try (ServerSocket deaf = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.newBuilder()
            .usePlaintext().connectTimeout(java.time.Duration.ofMillis(300)).build())) {
      java.util.List<java.nio.channels.SocketChannel> fillers = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open();
          c.configureBlocking(false);
          c.connect(deaf.getLocalSocketAddress());
          fillers.add(c);
        }
        TransportRecorder events = new TransportRecorder();
        connect(factory, deaf.getLocalSocketAddress(), events);
        Status status = events.awaitShutdown();
        events.awaitTerminated();
        assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.description().orElse("")).contains(String.valueOf(deaf.getLocalPort()))
            .containsIgnoringCase("timed out");
      } finally {
        for (java.nio.channels.SocketChannel c : fillers) {
          c.close();
        }
      }
    }
  }

  @Test
  void peerThatAcceptsButNeverSpeaksHttp2TimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.newBuilder()
            .usePlaintext().connectTimeout(java.time.Duration.ofMillis(300)).build())) {
      // The kernel completes the TCP handshake from the backlog; nobody ever reads or writes.
      TransportRecorder events = new TransportRecorder();
      connect(factory, silent.getLocalSocketAddress(), events);
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("not ready within PT0.3S").contains("no HTTP/2")
          .contains("SETTINGS");
      assertThat(events.events).containsExactly("shutdown", "terminated");
    }
  }

  @Test
  void unsupportedAddressFailsTheTransportInsteadOfHanging() throws Exception {
    SocketAddress odd = new SocketAddress() {
      private static final long serialVersionUID = 1L;

      @Override
      public String toString() {
        return "odd-address";
      }
    };
    try (NettyTransportFactory factory = plaintextFactory()) {
      TransportRecorder events = new TransportRecorder();
      connect(factory, odd, events);
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("odd-address");
    }
  }

  @Test
  void shutdownBeforeStartReportsShutdownThenTerminated() throws Exception {
    try (NettyTransportFactory factory = plaintextFactory()) {
      ManagedClientTransport t = factory.newClientTransport(new InetSocketAddress("127.0.0.1", 1),
          new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
      t.shutdown(Status.UNAVAILABLE.withDescription("never needed"));
      TransportRecorder events = new TransportRecorder();
      t.start(events);
      assertThat(events.awaitShutdown().description()).contains("never needed");
      events.awaitTerminated();
      assertThat(events.events).containsExactly("shutdown", "terminated");
    }
  }

  @Test
  void shutdownWaitsForStreamsAndShutdownNowFailsThem() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext();
        NettyTransportFactory factory = plaintextFactory()) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = connect(factory, server.address(), events);
      events.awaitReady();
      StreamRecorder rec = new StreamRecorder();
      ClientStream stream = transport.newStream(FULL_DUPLEX, new Metadata(), CallOptions.DEFAULT);
      stream.start(rec);
      stream.request(1);
      stream.writeMessage(new ByteArrayInputStream(pingPong(10)));
      rec.awaitMessage();

      transport.shutdown(Status.UNAVAILABLE.withDescription("channel shutdown"));
      assertThat(events.awaitShutdown().description()).contains("channel shutdown");
      stream.request(1);
      stream.writeMessage(new ByteArrayInputStream(pingPong(10)));
      rec.awaitMessage();
      assertThat(events.terminated).isNotDone();

      transport.shutdownNow(Status.UNAVAILABLE.withDescription("channel shutdownNow"));
      Closed closed = rec.awaitClosed();
      assertThat(closed.status().description()).contains("channel shutdownNow");
      events.awaitTerminated();
      assertThat(events.events).containsExactly("ready", "inUse=true", "shutdown", "inUse=false",
          "terminated");
    }
  }

  @Test
  void streamsOnAShutDownTransportAreRefused() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext();
        NettyTransportFactory factory = plaintextFactory()) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = connect(factory, server.address(), events);
      events.awaitReady();
      transport.shutdown(Status.UNAVAILABLE.withDescription("going"));
      StreamRecorder rec = new StreamRecorder();
      ClientStream stream = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
      stream.start(rec);
      stream.halfClose(); // a unary stream goes out with its half-close, as in grpc-java
      Closed closed = rec.awaitClosed();
      assertThat(closed.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(closed.progress()).isEqualTo(RpcProgress.REFUSED);
      events.awaitTerminated();
    }
  }

  @Test
  void streamsBeyondTheServersConcurrencyLimitWaitForASlot() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintextWithMaxConcurrentCalls(1);
        NettyTransportFactory factory = plaintextFactory()) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = connect(factory, server.address(), events);
      events.awaitReady();
      StreamRecorder first = new StreamRecorder();
      ClientStream held = transport.newStream(FULL_DUPLEX, new Metadata(), CallOptions.DEFAULT);
      held.start(first);
      held.request(1);
      held.writeMessage(new ByteArrayInputStream(pingPong(1)));
      first.awaitMessage();
      StreamRecorder waiting = new StreamRecorder();
      ClientStream queued = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
      queued.start(waiting);
      queued.request(1);
      queued.writeMessage(new ByteArrayInputStream(new byte[0]));
      queued.halfClose();
      StreamRecorder cancelled = new StreamRecorder();
      ClientStream dropped = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
      dropped.start(cancelled);
      dropped.cancel(Status.CANCELLED.withDescription("gave up waiting"));
      assertThat(cancelled.awaitClosed().status().description()).contains("gave up waiting");
      assertThat(waiting.closed).isNotDone();
      held.halfClose();
      assertThat(first.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
      assertThat(waiting.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
      transport.shutdown(Status.UNAVAILABLE);
      events.awaitTerminated();
    }
  }

  @Test
  void aCallerProvidedEventLoopGroupIsUsedAndLeftRunning() throws Exception {
    io.netty.channel.EventLoopGroup own = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
        new io.netty.util.concurrent.DefaultThreadFactory("caller-loop", true),
        io.netty.channel.nio.NioIoHandler.newFactory());
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext()) {
      int sharedUsers = SharedEventLoops.users();
      NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.newBuilder()
          .usePlaintext().eventLoopGroup(own).build());
      assertThat(SharedEventLoops.users()).isEqualTo(sharedUsers);
      assertThat(factory.scheduledExecutor()).isSameAs(own);
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = connect(factory, server.address(), events);
      events.awaitReady();
      StreamRecorder rec = new StreamRecorder();
      ClientStream stream = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
      stream.start(rec);
      stream.request(1);
      stream.writeMessage(new ByteArrayInputStream(new byte[0]));
      stream.halfClose();
      assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
      assertThat(rec.callbackThread.getName()).startsWith("caller-loop");
      transport.shutdown(Status.UNAVAILABLE);
      events.awaitTerminated();
      factory.close();
      assertThat(own.isShuttingDown()).isFalse();
    } finally {
      own.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void sharedEventLoopsStopWhenTheLastFactoryCloses() {
    int before = SharedEventLoops.users();
    NettyTransportFactory a = plaintextFactory();
    NettyTransportFactory b = plaintextFactory();
    assertThat(a.scheduledExecutor()).isSameAs(b.scheduledExecutor());
    assertThat(SharedEventLoops.users()).isEqualTo(before + 2);
    a.close();
    a.close();
    assertThat(SharedEventLoops.users()).isEqualTo(before + 1);
    b.close();
    assertThat(SharedEventLoops.users()).isEqualTo(before);
    if (before == 0) {
      assertThat(((io.netty.channel.EventLoopGroup) b.scheduledExecutor()).isShuttingDown()).isTrue();
    }
  }

  @Test
  void largeRequestsRespectTheServersWindowAndOnReadyComesBack() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext(65_535);
        NettyTransportFactory factory = plaintextFactory()) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = connect(factory, server.address(), events);
      events.awaitReady();
      StreamRecorder rec = new StreamRecorder();
      ClientStream stream = transport.newStream(NettyTransportGrpcJavaTest.STREAMING_INPUT,
          new Metadata(), CallOptions.DEFAULT);
      stream.start(rec);
      stream.request(1);
      await(stream::isReady, "the stream to be ready");
      byte[] chunk = Messages.StreamingInputCallRequest.newBuilder()
          .setPayload(Messages.Payload.newBuilder().setBody(ByteString.copyFrom(new byte[100_000])))
          .build().toByteArray();
      for (int i = 0; i < 20; i++) {
        stream.writeMessage(new ByteArrayInputStream(chunk));
      }
      assertThat(stream.isReady()).as("2 MB queued against a 64 KiB window").isFalse();
      int readyBefore = rec.onReady.get();
      await(stream::isReady, "the queue to drain into the server's window");
      await(() -> rec.onReady.get() > readyBefore, "onReady after the queue drained");
      stream.halfClose();
      assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
      assertThat(Messages.StreamingInputCallResponse.parseFrom(rec.messages.poll())
          .getAggregatedPayloadSize()).isEqualTo(2_000_000);
      transport.shutdown(Status.UNAVAILABLE);
      events.awaitTerminated();
    }
  }
}
