package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.EMPTY_CALL;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.FULL_DUPLEX;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.STREAMING_OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import io.grpc.testing.integration.Messages;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one stream costs the connection's event loop, against grpc-java's server: write-queue
 * commands, drains (each one an event-loop wake-up from the caller's thread) and flushes that
 * carry bytes (each one a write system call), counted around single streams.
 */
class NettyTransportWritePathTest {

  private GrpcJavaInteropServer server;
  private NettyTransportFactory factory;
  private NettyClientTransport transport;
  private TransportRecorder events;
  private FlushCounter flushes;

  /** Counts flushes that carry at least one write, at the socket end of the pipeline. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    // Event loop only; read through the loop.
    int writes;
    int flushesWithData;
    private boolean written;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      writes++;
      written = true;
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (written) {
        flushesWithData++;
        written = false;
      }
      ctx.flush();
    }
  }

  /** The counters at one moment, read on the event loop. */
  private record Counts(long commands, long drains, int flushesWithData) {
    Counts minus(Counts before) {
      return new Counts(commands - before.commands, drains - before.drains,
          flushesWithData - before.flushesWithData);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    server = GrpcJavaInteropServer.plaintext();
    factory = new NettyTransportFactory(NettyTransportSettings.newBuilder().usePlaintext().build());
    events = new TransportRecorder();
    transport = (NettyClientTransport) factory.newClientTransport(server.address(),
        new TransportOptions("localhost:" + server.address().getPort(), "switchboard-test/0.1",
            Attributes.EMPTY));
    transport.start(events);
    events.awaitReady();
    flushes = new FlushCounter();
    transport.eventLoop().submit(() -> transport.channel().pipeline().addFirst("flush-counter", flushes))
        .get(10, TimeUnit.SECONDS);
    // One call first, so that the connection's own frames (SETTINGS acks, window updates) are done.
    assertThat(unary(EMPTY_CALL, new byte[0]).awaitClosed().status().code()).isEqualTo(Status.Code.OK);
  }

  @AfterEach
  void tearDown() throws Exception {
    transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
    events.awaitTerminated();
    factory.close();
    server.close();
  }

  private Counts counts() throws Exception {
    return transport.eventLoop().submit(() -> new Counts(transport.writeQueue().commandsRun(),
        transport.writeQueue().drains(), flushes.flushesWithData)).get(10, TimeUnit.SECONDS);
  }

  private StreamRecorder unary(MethodDescriptor<byte[], byte[]> method, byte[] request) {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(method, new Metadata(), CallOptions.DEFAULT);
    stream.setMaxInboundMessageSize(1 << 20);
    stream.start(rec);
    stream.request(2);
    stream.writeMessage(new ByteArrayInputStream(request));
    stream.halfClose();
    return rec;
  }

  @Test
  void aUnaryStreamIsOneCommandOneWakeUpAndOneFlush() throws Exception {
    Counts before = counts();
    StreamRecorder rec = unary(EMPTY_CALL, new byte[0]);
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(rec.messageCount.get()).isEqualTo(1);

    assertThat(counts().minus(before)).isEqualTo(new Counts(1, 1, 1));
  }

  @Test
  void aServerStreamingStreamIsOneCommandOneWakeUpAndOneFlush() throws Exception {
    Messages.StreamingOutputCallRequest request = Messages.StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(10))
        .addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(20))
        .build();
    Counts before = counts();
    StreamRecorder rec = unary(STREAMING_OUTPUT, request.toByteArray());
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(rec.messageCount.get()).isEqualTo(2);

    assertThat(counts().minus(before)).isEqualTo(new Counts(1, 1, 1));
  }

  @Test
  void nothingReachesTheEventLoopBeforeAUnaryStreamHalfCloses() throws Exception {
    Counts before = counts();
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
    stream.setMaxInboundMessageSize(1 << 20);
    stream.start(rec);
    stream.request(2);
    stream.writeMessage(new ByteArrayInputStream(new byte[0]));
    assertThat(counts().minus(before)).isEqualTo(new Counts(0, 0, 0));

    stream.halfClose();
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(counts().minus(before)).isEqualTo(new Counts(1, 1, 1));
  }

  @Test
  void aUnaryStreamCancelledBeforeItsHalfCloseSendsNothingAndStillCloses() throws Exception {
    Counts before = counts();
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.request(2);
    stream.writeMessage(new ByteArrayInputStream(new byte[100]));
    stream.cancel(Status.CANCELLED.withDescription("changed my mind"));

    TestListeners.Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(closed.status().description()).contains("changed my mind");
    assertThat(counts().minus(before).flushesWithData()).as("no HEADERS, no DATA").isZero();
    assertThat(stream.isReady()).isFalse();
  }

  @Test
  void aUnaryStreamCancelledBeforeItStartsClosesWhenStarted() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
    stream.cancel(Status.CANCELLED.withDescription("before start"));
    stream.start(rec);

    assertThat(rec.awaitClosed().status().description()).contains("before start");
  }

  @Test
  void aBidiStreamSendsItsHeadersAtStart() throws Exception {
    Counts before = counts();
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(FULL_DUPLEX, new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    TestListeners.await(() -> {
      try {
        return counts().minus(before).flushesWithData() == 1;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "the HEADERS flushed before any message");
    stream.cancel(Status.CANCELLED.withDescription("test over"));
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.CANCELLED);
  }
}
