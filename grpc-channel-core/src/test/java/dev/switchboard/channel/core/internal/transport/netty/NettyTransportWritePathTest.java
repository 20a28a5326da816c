package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.EMPTY_CALL;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.FULL_DUPLEX;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.STREAMING_OUTPUT;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.UNARY_CALL;
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
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Counts flushes that carry at least one write, at the socket end of the pipeline, and reads the
   * HTTP/2 frame headers out of the bytes written to note each DATA frame's length.
   */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    // Event loop only; read through the loop.
    int writes;
    int flushesWithData;
    final List<Integer> dataFrameLengths = new ArrayList<>();
    private boolean written;
    private final byte[] frameHeader = new byte[9];
    private int frameHeaderFill;
    private long frameBytesLeft;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      writes++;
      written = true;
      if (msg instanceof ByteBuf buf) {
        scanFrames(buf);
      }
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

    private void scanFrames(ByteBuf buf) {
      int i = buf.readerIndex();
      int end = buf.writerIndex();
      while (i < end) {
        if (frameBytesLeft > 0) {
          int skipped = (int) Math.min(frameBytesLeft, end - i);
          frameBytesLeft -= skipped;
          i += skipped;
          continue;
        }
        frameHeader[frameHeaderFill++] = buf.getByte(i++);
        if (frameHeaderFill == frameHeader.length) {
          frameHeaderFill = 0;
          int length = (frameHeader[0] & 0xff) << 16 | (frameHeader[1] & 0xff) << 8 | frameHeader[2] & 0xff;
          if (frameHeader[3] == 0) { // DATA
            dataFrameLengths.add(length);
          }
          frameBytesLeft = length;
        }
      }
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
    connect(GrpcJavaInteropServer.plaintext());
  }

  private void connect(GrpcJavaInteropServer peer) throws Exception {
    server = peer;
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

  @Test
  void aMessageLargerThanNettysDefaultWriteBufferLeavesInOneFlush() throws Exception {
    // 300 KiB: over Netty's default high water mark (64 KiB), inside grpc-java's 1 MiB windows.
    Counts before = counts();
    StreamRecorder rec = unary(UNARY_CALL, NettyTransportGrpcJavaTest.simpleRequest(10, 300 * 1024));
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);

    assertThat(counts().minus(before)).isEqualTo(new Counts(1, 1, 1));
  }

  @Test
  void streamsWaitingForTheConnectionWindowGetItAFullFrameAtATime() throws Exception {
    tearDown();
    connect(GrpcJavaInteropServer.plaintext(64 * 1024)); // windows of 64 KiB, no auto-tuning
    int streams = 8;
    byte[] request = NettyTransportGrpcJavaTest.simpleRequest(10, 64 * 1024);
    List<StreamRecorder> recs = new ArrayList<>();
    int framesBefore = transport.eventLoop().submit(() -> flushes.dataFrameLengths.size()).get(10, TimeUnit.SECONDS);
    for (int i = 0; i < streams; i++) {
      recs.add(unary(UNARY_CALL, request));
    }
    for (StreamRecorder rec : recs) {
      assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    }

    List<Integer> frames = transport.eventLoop().submit(() -> List.copyOf(
        flushes.dataFrameLengths.subList(framesBefore, flushes.dataFrameLengths.size())))
        .get(10, TimeUnit.SECONDS);
    int messageBytes = 5 + request.length;
    assertThat(frames.stream().mapToInt(Integer::intValue).sum()).isEqualTo(streams * messageBytes);
    // Four full frames and the rest per stream at best; a share smaller than a frame only where
    // the window runs out (Netty's default 1 KiB quantum cut these into a hundred or more).
    int fewest = streams * (messageBytes / 16384 + 1);
    assertThat(frames.size()).as("DATA frames %s", frames).isLessThanOrEqualTo(fewest + fewest / 2);
  }
}
