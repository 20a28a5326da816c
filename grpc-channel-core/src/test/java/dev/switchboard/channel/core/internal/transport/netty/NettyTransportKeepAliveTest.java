package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.TestListeners.await;
import static dev.switchboard.channel.core.internal.transport.netty.TestListeners.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keepalive pings: sent when configured, and a peer that never answers loses the connection. */
class NettyTransportKeepAliveTest {

  private static ManagedClientTransport start(NettyTransportFactory factory, SocketAddress address,
      TransportRecorder events) {
    ManagedClientTransport t = factory.newClientTransport(address,
        new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
    t.start(events);
    return t;
  }

  @Test
  void pingsAreSentWithoutCallsWhenAskedAndTheConnectionStays() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer();
        NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.newBuilder()
            .usePlaintext().keepAliveTime(Duration.ofMillis(50)).keepAliveWithoutCalls(true).build())) {
      int before = server.pings.get();
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = start(factory, server.address(), events);
      events.awaitReady();
      await(() -> server.pings.get() >= before + 3, "three keepalive pings");
      assertThat(events.shutdown).isNotDone();
      transport.shutdown(Status.UNAVAILABLE);
      events.awaitTerminated();
    }
  }

  @Test
  void pingsAreSentWhileACallIsOpen() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer();
        NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.newBuilder()
            .usePlaintext().keepAliveTime(Duration.ofMillis(50)).build())) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = start(factory, server.address(), events);
      events.awaitReady();
      int before = server.pings.get();
      StreamRecorder rec = new StreamRecorder();
      ClientStream stream = transport.newStream(method("misbehave.Service/Silent", MethodType.UNARY),
          new Metadata(), CallOptions.DEFAULT);
      stream.start(rec);
      stream.halfClose(); // a unary stream goes out with its half-close, as in grpc-java
      await(() -> server.pings.get() >= before + 2, "keepalive pings during a call");
      stream.cancel(Status.CANCELLED);
      assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.CANCELLED);
      transport.shutdown(Status.UNAVAILABLE);
      events.awaitTerminated();
    }
  }

  @Test
  void tooManyPingsFromGrpcJavaShutsTheTransportDownAndDoublesTheKeepAliveTime() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext();
        NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.newBuilder()
            .usePlaintext().keepAliveTime(Duration.ofMillis(20)).keepAliveWithoutCalls(true).build())) {
      TransportRecorder events = new TransportRecorder();
      start(factory, server.address(), events);
      events.awaitReady();
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("ENHANCE_YOUR_CALM").contains("too_many_pings");
      assertThat(factory.keepAliveTimeNanos()).as("keepalive time for later connections")
          .isEqualTo(Duration.ofMillis(40).toNanos());
    }
  }

  @Test
  void unansweredPingClosesTheConnectionUnavailable() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.newBuilder()
            .usePlaintext().keepAliveTime(Duration.ofMillis(50)).keepAliveTimeout(Duration.ofMillis(100))
            .keepAliveWithoutCalls(true).build())) {
      Thread peer = new Thread(() -> deafPeer(listener), "deaf-http2-peer");
      peer.setDaemon(true);
      peer.start();
      TransportRecorder events = new TransportRecorder();
      start(factory, new InetSocketAddress("127.0.0.1", listener.getLocalPort()), events);
      events.awaitReady();
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("keepalive");
      peer.join(TestListeners.TIMEOUT_SECONDS * 1000);
    }
  }

  /** Sends one empty SETTINGS frame, then reads and ignores everything (no ACKs) until EOF. */
  private static void deafPeer(ServerSocket listener) {
    try (Socket s = listener.accept()) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
      out.flush();
      InputStream in = s.getInputStream();
      byte[] sink = new byte[4096];
      while (in.read(sink) >= 0) {
        // discard
      }
    } catch (IOException e) {
      // the client closed the connection: the point of the test
    }
  }
}
