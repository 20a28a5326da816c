package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.STREAMING_OUTPUT;
import static dev.switchboard.channel.core.internal.transport.netty.TestListeners.receiveWindows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.Await;
import dev.switchboard.channel.core.interop.CCoreInteropServer;
import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import io.grpc.testing.integration.Messages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The receive windows against grpc-java's and C-core's servers through a proxy that adds 40 ms
 * each way: tuned by default (they grow while a download is limited by them, and not past 8 MiB;
 * the servers answer the BDP pings and do not take them for abuse), fixed when set.
 */
class NettyTransportFlowControlTest {

  /** A server implementation of the interop service. */
  enum Server {
    GRPC_JAVA, C_CORE;

    Started start() throws Exception {
      if (this == GRPC_JAVA) {
        GrpcJavaInteropServer s = GrpcJavaInteropServer.plaintext();
        return new Started(s.address(), s);
      }
      CCoreInteropServer s = CCoreInteropServer.start();
      return new Started(s.address(), s);
    }
  }

  private record Started(InetSocketAddress address, AutoCloseable server) {}

  private static final int MIB = 1024 * 1024;
  private static final int RESPONSE_SIZE = 64 * 1024;

  private Started server;
  private DelayingProxy proxy;
  private NettyTransportFactory factory;
  private NettyClientTransport transport;
  private final TransportRecorder events = new TransportRecorder();

  @AfterEach
  void tearDown() throws Exception {
    if (transport != null) {
      transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      events.awaitTerminated();
    }
    if (factory != null) {
      factory.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.server().close();
    }
  }

  private void connectThroughDelay(Server peer, NettyTransportSettings.Builder settings)
      throws Exception {
    server = peer.start();
    proxy = new DelayingProxy(server.address(), Duration.ofMillis(40));
    factory = new NettyTransportFactory(settings.usePlaintext().build());
    ManagedClientTransport t = factory.newClientTransport(proxy.address(),
        new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
    t.start(events);
    events.awaitReady();
    transport = (NettyClientTransport) t;
  }

  /** Downloads {@code responses} messages of 64 KiB in one server-streaming call, all of them. */
  private void download(int responses) throws Exception {
    Messages.StreamingOutputCallRequest.Builder req = Messages.StreamingOutputCallRequest.newBuilder();
    for (int i = 0; i < responses; i++) {
      req.addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(RESPONSE_SIZE));
    }
    AtomicLong bodies = new AtomicLong();
    StreamRecorder rec = new StreamRecorder() {
      @Override
      public void messageRead(InputStream message) {
        try (message) {
          // Parsed, not kept: 32 MiB of messages would crowd the heap.
          bodies.addAndGet(Messages.StreamingOutputCallResponse.parseFrom(message).getPayload()
              .getBody().size());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    ClientStream stream = transport.newStream(STREAMING_OUTPUT, new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.request(responses);
    stream.writeMessage(new ByteArrayInputStream(req.build().toByteArray()));
    stream.halfClose();
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(bodies.get()).isEqualTo((long) responses * RESPONSE_SIZE);
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void windowsGrowWhileADownloadIsLimitedByThemUpToEightMebibytes(Server peer) throws Exception {
    connectThroughDelay(peer, NettyTransportSettings.newBuilder());
    assertThat(receiveWindows(transport)[1]).as("connection window when ready").isEqualTo(MIB);

    // 32 MiB at 1 MiB per 80 ms round trip take 2.6 s; a grown window carries more per round trip.
    download(512);

    // Streams take a grown window when the server acknowledges its SETTINGS, a round trip later.
    Await.until("the last SETTINGS acknowledged", () -> {
      int[] w = receiveWindows(transport);
      return w[0] == w[1];
    });
    int[] grown = receiveWindows(transport);
    assertThat(events.shutdown).as("no GOAWAY (too_many_pings) for the BDP pings").isNotDone();
    // How far depends on the samples' bandwidth (each step must beat the last): 3.2 to 8 MiB seen.
    assertThat(grown[1]).as("connection window").isGreaterThan(MIB).isLessThanOrEqualTo(8 * MIB);
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void aWindowSetStaysAsSet(Server peer) throws Exception {
    connectThroughDelay(peer, NettyTransportSettings.newBuilder().flowControlWindow(MIB));

    download(64);

    assertThat(receiveWindows(transport)).containsExactly(MIB, MIB);
  }
}
