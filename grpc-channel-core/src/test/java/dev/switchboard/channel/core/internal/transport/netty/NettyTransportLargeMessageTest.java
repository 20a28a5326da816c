package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.FULL_DUPLEX;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.STREAMING_OUTPUT;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.UNARY_CALL;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.Closed;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import io.grpc.testing.integration.Messages;
import java.io.ByteArrayInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Messages larger than every window and buffer, in both directions, against grpc-java's server:
 * sizes around the 1 MiB default stream window (the message with its 5-byte prefix one byte under,
 * at and over it), 5 MiB and 16 MiB with raised limits, each limit ± 1, with the default windows
 * on both sides and with the smallest window HTTP/2 allows (64 KiB - 1) on both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NettyTransportLargeMessageTest {

  private static final int MIB = 1024 * 1024;
  private static final int SMALLEST_WINDOW = 65_535;

  /** The windows of both peers. */
  enum Windows {
    DEFAULT(0),
    SMALL(SMALLEST_WINDOW);

    final int bytes;

    Windows(int bytes) {
      this.bytes = bytes;
    }
  }

  private final java.util.Map<Windows, Peer> peers = new java.util.EnumMap<>(Windows.class);

  /** A grpc-java server and a connected transport with the same window. */
  private static final class Peer implements AutoCloseable {
    final GrpcJavaInteropServer server;
    final NettyTransportFactory factory;
    final ManagedClientTransport transport;
    final TransportRecorder events = new TransportRecorder();

    Peer(Windows windows) throws Exception {
      server = windows.bytes == 0 ? GrpcJavaInteropServer.plaintext()
          : GrpcJavaInteropServer.plaintext(windows.bytes);
      NettyTransportSettings.Builder settings = NettyTransportSettings.newBuilder().usePlaintext();
      if (windows.bytes != 0) {
        settings.flowControlWindow(windows.bytes);
      }
      factory = new NettyTransportFactory(settings.build());
      transport = factory.newClientTransport(server.address(),
          new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
      transport.start(events);
      events.awaitReady();
    }

    @Override
    public void close() throws Exception {
      transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      events.awaitTerminated();
      factory.close();
      server.close();
    }
  }

  @BeforeAll
  void startPeers() throws Exception {
    for (Windows w : Windows.values()) {
      peers.put(w, new Peer(w));
    }
  }

  @AfterAll
  void stopPeers() throws Exception {
    for (Peer p : peers.values()) {
      p.close();
    }
  }

  /** (windows, message size, inbound limit or 0 for the default 4 MiB). */
  static Stream<Arguments> responses() {
    int[][] cases = {
        {MIB - 5 - 1, 0}, {MIB - 5, 0}, {MIB - 5 + 1, 0}, {MIB - 1, 0}, {MIB, 0}, {MIB + 1, 0},
        {4 * MIB, 0}, {5 * MIB, 6 * MIB}, {16 * MIB, 32 * MIB},
    };
    return Stream.of(Windows.values()).flatMap(w -> Stream.of(cases)
        .map(c -> Arguments.of(w, c[0], c[1])));
  }

  @ParameterizedTest(name = "{1} bytes, limit {2}, {0} windows")
  @MethodSource("responses")
  void unaryResponseLargerThanTheWindowArrivesWhole(Windows windows, int size, int limit)
      throws Exception {
    CallOptions options = limit == 0 ? CallOptions.DEFAULT
        : CallOptions.DEFAULT.withMaxInboundMessageSize(limit);
    StreamRecorder rec = send(windows, UNARY_CALL, Messages.SimpleRequest.newBuilder()
        .setResponseSize(bodyForMessageOf(size)).build().toByteArray(), options);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
    assertThat(rec.awaitMessage()).hasSize(size);
  }

  @ParameterizedTest(name = "{0} windows")
  @EnumSource(Windows.class)
  void responseAtTheLimitArrivesAndOneByteOverIsResourceExhausted(Windows windows) throws Exception {
    int limit = 3 * MIB + 3;
    CallOptions options = CallOptions.DEFAULT.withMaxInboundMessageSize(limit);
    StreamRecorder at = send(windows, UNARY_CALL, Messages.SimpleRequest.newBuilder()
        .setResponseSize(bodyForMessageOf(limit)).build().toByteArray(), options);
    assertThat(at.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(at.awaitMessage()).hasSize(limit);

    StreamRecorder over = send(windows, UNARY_CALL, Messages.SimpleRequest.newBuilder()
        .setResponseSize(bodyForMessageOf(limit + 1)).build().toByteArray(), options);
    Closed closed = over.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(closed.status().description().orElse(""))
        .contains(Integer.toString(limit + 1)).contains(Integer.toString(limit));
    assertThat(send(windows, UNARY_CALL, Messages.SimpleRequest.newBuilder()
        .setResponseSize(10).build().toByteArray(), CallOptions.DEFAULT).awaitClosed().status().code())
        .as("the connection still serves calls").isEqualTo(Status.Code.OK);
  }

  /** (windows, request message size). The server takes up to 16 MiB. */
  static Stream<Arguments> requests() {
    int[] sizes = {MIB - 5 - 1, MIB - 5, MIB - 5 + 1, MIB - 1, MIB, MIB + 1, 5 * MIB, 16 * MIB};
    return Stream.of(Windows.values()).flatMap(w -> java.util.stream.IntStream.of(sizes)
        .mapToObj(s -> Arguments.of(w, s)));
  }

  @ParameterizedTest(name = "{1} bytes, {0} windows")
  @MethodSource("requests")
  void unaryRequestLargerThanTheServersWindowIsReceivedWhole(Windows windows, int size)
      throws Exception {
    byte[] request = requestOf(size);
    assertThat(request).hasSize(size);
    StreamRecorder rec = send(windows, UNARY_CALL, request, CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
    assertThat(Messages.SimpleResponse.parseFrom(rec.awaitMessage()).getPayload().getBody().size())
        .isEqualTo(7);
  }

  @ParameterizedTest(name = "{0} windows")
  @EnumSource(Windows.class)
  void serverStreamOfMessagesEachLargerThanTheWindowArrivesInOrder(Windows windows) throws Exception {
    int[] sizes = {3 * MIB, MIB + 1, 2 * MIB - 7, 9};
    Messages.StreamingOutputCallRequest.Builder req = Messages.StreamingOutputCallRequest.newBuilder();
    for (int size : sizes) {
      req.addResponseParameters(Messages.ResponseParameters.newBuilder()
          .setSize(bodyForMessageOf(size)));
    }
    StreamRecorder rec = send(windows, STREAMING_OUTPUT, req.build().toByteArray(), CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
    for (int size : sizes) {
      assertThat(rec.awaitMessage()).hasSize(size);
    }
  }

  @ParameterizedTest(name = "{0} windows")
  @EnumSource(Windows.class)
  void bidiPingPongOfMessagesLargerThanTheWindowBothWays(Windows windows) throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = peers.get(windows).transport.newStream(FULL_DUPLEX, new Metadata(),
        CallOptions.DEFAULT);
    stream.start(rec);
    int[] sizes = {MIB + 1, 3 * MIB, MIB - 5};
    for (int size : sizes) {
      stream.request(1);
      stream.writeMessage(new ByteArrayInputStream(Messages.StreamingOutputCallRequest.newBuilder()
          .addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(bodyForMessageOf(size)))
          .setPayload(Messages.Payload.newBuilder().setBody(ByteString.copyFrom(new byte[2 * MIB])))
          .build().toByteArray()));
      assertThat(rec.awaitMessage()).hasSize(size);
    }
    stream.halfClose();
    stream.request(1);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
  }

  private StreamRecorder send(Windows windows, MethodDescriptor<byte[], byte[]> method, byte[] request,
      CallOptions options) {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = peers.get(windows).transport.newStream(method, new Metadata(),
        options.withDeadlineAfter(java.time.Duration.ofSeconds(TestListeners.TIMEOUT_SECONDS - 1)));
    stream.start(rec);
    stream.request(100);
    stream.writeMessage(new ByteArrayInputStream(request));
    stream.halfClose();
    return rec;
  }

  /**
   * Returns the body size that makes the server's response ({@code SimpleResponse} or {@code
   * StreamingOutputCallResponse}: a payload with a body, both field 1) exactly {@code size} bytes.
   */
  static int bodyForMessageOf(int size) {
    return bodyFor(size);
  }

  /** Returns a {@code SimpleRequest} of exactly {@code size} bytes asking for 7 bytes back. */
  private static byte[] requestOf(int size) {
    Messages.SimpleRequest small = Messages.SimpleRequest.newBuilder().setResponseSize(7).build();
    return small.toBuilder()
        .setPayload(Messages.Payload.newBuilder().setBody(ByteString.copyFrom(
            new byte[bodyFor(size - small.getSerializedSize())])))
        .build().toByteArray();
  }

  /** Returns the body size that makes field 1 holding a payload (field 1: body) {@code size} bytes. */
  private static int bodyFor(int size) {
    for (int body = size; body >= 0; body--) {
      int payload = 1 + varintSize(body) + body;
      if (1 + varintSize(payload) + payload == size) {
        return body;
      }
    }
    throw new IllegalArgumentException("no body makes a message of " + size + " bytes");
  }

  private static int varintSize(int value) {
    int bytes = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      bytes++;
    }
    return bytes;
  }
}
