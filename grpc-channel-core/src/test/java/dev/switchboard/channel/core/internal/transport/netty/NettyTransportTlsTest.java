package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.EMPTY_CALL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** TLS and mutual TLS against grpc-java's server with grpc-java's test certificates. */
class NettyTransportTlsTest {

  private static NettyTransportSettings.Builder trustingTestCa() {
    return NettyTransportSettings.newBuilder().trustRoots(GrpcJavaInteropServer.cert("ca.pem"));
  }

  private static ManagedClientTransport start(NettyTransportFactory factory, GrpcJavaInteropServer server,
      String authority, TransportRecorder events) {
    ManagedClientTransport t = factory.newClientTransport(server.address(),
        new TransportOptions(authority, "switchboard-test/0.1", Attributes.EMPTY));
    t.start(events);
    return t;
  }

  private static Status emptyCall(ManagedClientTransport transport) throws Exception {
    return emptyCall(transport, CallOptions.DEFAULT);
  }

  private static Status emptyCall(ManagedClientTransport transport, CallOptions options) throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(EMPTY_CALL, new Metadata(), options);
    stream.start(rec);
    stream.request(1);
    stream.writeMessage(new ByteArrayInputStream(new byte[0]));
    stream.halfClose();
    return rec.awaitClosed().status();
  }

  @Test
  void tlsWithCustomTrustRootsAndMatchingAuthorityWorks() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        NettyTransportFactory factory = new NettyTransportFactory(trustingTestCa().build())) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = start(factory, server, GrpcJavaInteropServer.TLS_AUTHORITY, events);
      events.awaitReady();
      assertThat(emptyCall(transport).code()).isEqualTo(Status.Code.OK);
      assertThat(server.lastAuthority()).isEqualTo(GrpcJavaInteropServer.TLS_AUTHORITY);
      transport.shutdown(Status.UNAVAILABLE);
      events.awaitTerminated();
    }
  }

  @Test
  void perCallAuthorityMustMatchTheServerCertificate() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        NettyTransportFactory factory = new NettyTransportFactory(trustingTestCa().build())) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = start(factory, server, GrpcJavaInteropServer.TLS_AUTHORITY, events);
      events.awaitReady();
      assertThat(emptyCall(transport, CallOptions.DEFAULT.withAuthority("bar.test.google.fr:443")).code())
          .isEqualTo(Status.Code.OK);
      assertThat(server.lastAuthority()).isEqualTo("bar.test.google.fr:443");
      Status refused = emptyCall(transport, CallOptions.DEFAULT.withAuthority("evil.example"));
      assertThat(refused.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.description().orElse("")).contains("'evil.example'").contains("*.test.google.fr");
      assertThat(emptyCall(transport, CallOptions.DEFAULT.withAuthority("a.b.test.google.fr")).code())
          .as("a wildcard covers one label").isEqualTo(Status.Code.UNAVAILABLE);
      transport.shutdown(Status.UNAVAILABLE);
      events.awaitTerminated();
    }
  }

  @Test
  void hostnameMismatchIsRefusedNamingTheAuthority() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        NettyTransportFactory factory = new NettyTransportFactory(trustingTestCa().build())) {
      TransportRecorder events = new TransportRecorder();
      start(factory, server, "wrong.example", events);
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("wrong.example").contains("TLS handshake");
      assertThat(events.events).doesNotContain("ready");
    }
  }

  @Test
  void untrustedServerCertificateIsRefused() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        NettyTransportFactory factory = new NettyTransportFactory(NettyTransportSettings.defaults())) {
      TransportRecorder events = new TransportRecorder();
      start(factory, server, GrpcJavaInteropServer.TLS_AUTHORITY, events);
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("TLS handshake").containsIgnoringCase("certif");
    }
  }

  @Test
  void mutualTlsPresentsTheClientCertificate() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.mutualTls();
        NettyTransportFactory factory = new NettyTransportFactory(trustingTestCa()
            .clientCertificate(GrpcJavaInteropServer.cert("client.pem"),
                GrpcJavaInteropServer.cert("client.key"))
            .build())) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = start(factory, server, GrpcJavaInteropServer.TLS_AUTHORITY, events);
      events.awaitReady();
      assertThat(emptyCall(transport).code()).isEqualTo(Status.Code.OK);
      transport.shutdown(Status.UNAVAILABLE);
      events.awaitTerminated();
    }
  }

  @Test
  void mutualTlsWithoutAClientCertificateFails() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.mutualTls();
        NettyTransportFactory factory = new NettyTransportFactory(trustingTestCa().build())) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = start(factory, server, GrpcJavaInteropServer.TLS_AUTHORITY, events);
      // With TLS 1.3 the client may finish its handshake before the server rejects it.
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("127.0.0.1");
      assertThat(transport.toString()).contains("127.0.0.1");
    }
  }

  @Test
  void serverWithoutAlpnH2IsRefusedNamingTheProtocol() throws Exception {
    io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
        io.netty.channel.nio.NioIoHandler.newFactory());
    try (NettyTransportFactory factory = new NettyTransportFactory(trustingTestCa().build())) {
      io.netty.handler.ssl.SslContext serverTls = io.netty.handler.ssl.SslContextBuilder
          .forServer(GrpcJavaInteropServer.cert("server1.pem"), GrpcJavaInteropServer.cert("server1.key"))
          .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
          .build();
      io.netty.channel.Channel listener = new io.netty.bootstrap.ServerBootstrap()
          .group(group)
          .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
          .childHandler(new io.netty.channel.ChannelInitializer<>() {
            @Override
            protected void initChannel(io.netty.channel.Channel ch) {
              ch.pipeline().addLast(serverTls.newHandler(ch.alloc()));
            }
          })
          .bind(new java.net.InetSocketAddress("127.0.0.1", 0)).sync().channel();
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport t = factory.newClientTransport(listener.localAddress(),
          new TransportOptions(GrpcJavaInteropServer.TLS_AUTHORITY, "switchboard-test/0.1", Attributes.EMPTY));
      t.start(events);
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("ALPN").contains("expected: h2");
      listener.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void plaintextClientAgainstTlsServerFailsClearly() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        NettyTransportFactory factory = new NettyTransportFactory(
            NettyTransportSettings.newBuilder().usePlaintext().build())) {
      TransportRecorder events = new TransportRecorder();
      start(factory, server, GrpcJavaInteropServer.TLS_AUTHORITY, events);
      Status status = events.awaitShutdown();
      events.awaitTerminated();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("before the HTTP/2 handshake completed")
          .contains("TLS");
    }
  }
}
