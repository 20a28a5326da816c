package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.STREAMING_OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import io.grpc.testing.integration.Messages;
import io.netty.handler.codec.http2.Http2Connection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receive windows against grpc-java's server through a proxy that adds 20 ms each way: tuned
 * by default (they grow while a download is limited by them, and not past 8 MiB), fixed when set.
 */
class NettyTransportFlowControlTest {

  private static final int MIB = 1024 * 1024;
  private static final int RESPONSE_SIZE = 64 * 1024;

  private final GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext();
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
    server.close();
  }

  private void connectThroughDelay(NettyTransportSettings.Builder settings) throws Exception {
    proxy = new DelayingProxy(server.address(), Duration.ofMillis(20));
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
          // Parsed, not kept: 64 MiB would fill the heap.
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

  /** The window each new stream gets, and the connection's, as the transport's codec has them. */
  private int[] windows() throws Exception {
    return transport.eventLoop().submit(() -> {
      Http2Connection c = transport.handler().connection();
      return new int[] {
          c.local().flowController().initialWindowSize(),
          c.local().flowController().initialWindowSize(c.connectionStream())};
    }).get();
  }

  @Test
  void windowsGrowWhileADownloadIsLimitedByThemUpToEightMebibytes() throws Exception {
    connectThroughDelay(NettyTransportSettings.newBuilder());
    assertThat(windows()[1]).as("connection window when ready").isEqualTo(MIB);

    // 64 MiB at 1 MiB per 40 ms round trip take 2.6 s; a grown window carries more per round trip.
    download(1024);

    int[] grown = windows();
    // How far depends on the samples' bandwidth (each step must beat the last): 3.2 to 8 MiB seen.
    assertThat(grown[1]).as("connection window").isGreaterThan(MIB).isLessThanOrEqualTo(8 * MIB);
    assertThat(grown[0]).as("stream window, from our SETTINGS once the server acknowledged them")
        .isEqualTo(grown[1]);
  }

  @Test
  void aWindowSetStaysAsSet() throws Exception {
    connectThroughDelay(NettyTransportSettings.newBuilder().flowControlWindow(MIB));

    download(256);

    assertThat(windows()).containsExactly(MIB, MIB);
  }
}
