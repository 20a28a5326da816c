package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.TestListeners.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import com.google.protobuf.ByteString;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener.RpcProgress;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.Closed;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import io.grpc.testing.integration.EmptyProtos;
import io.grpc.testing.integration.Messages;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport against grpc-java's interop server, plaintext, driven at the stream level. */
class NettyTransportGrpcJavaTest {

  static final MethodDescriptor<byte[], byte[]> EMPTY_CALL =
      method("grpc.testing.TestService/EmptyCall", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> UNARY_CALL =
      method("grpc.testing.TestService/UnaryCall", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> STREAMING_OUTPUT =
      method("grpc.testing.TestService/StreamingOutputCall", MethodType.SERVER_STREAMING);
  static final MethodDescriptor<byte[], byte[]> STREAMING_INPUT =
      method("grpc.testing.TestService/StreamingInputCall", MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<byte[], byte[]> FULL_DUPLEX =
      method("grpc.testing.TestService/FullDuplexCall", MethodType.BIDI_STREAMING);
  static final MethodDescriptor<byte[], byte[]> UNIMPLEMENTED =
      method("grpc.testing.TestService/UnimplementedCall", MethodType.UNARY);

  private GrpcJavaInteropServer server;
  private NettyTransportFactory factory;
  private ManagedClientTransport transport;
  private TransportRecorder transportEvents;

  @BeforeEach
  void setUp() throws Exception {
    server = GrpcJavaInteropServer.plaintext();
    factory = new NettyTransportFactory(NettyTransportSettings.newBuilder().usePlaintext().build());
    transportEvents = new TransportRecorder();
    transport = connect(factory, transportEvents);
  }

  private ManagedClientTransport connect(NettyTransportFactory f, TransportRecorder events)
      throws Exception {
    ManagedClientTransport t = f.newClientTransport(server.address(),
        new TransportOptions("localhost:" + server.address().getPort(), "switchboard-test/0.1",
            Attributes.EMPTY));
    t.start(events);
    events.awaitReady();
    return t;
  }

  @AfterEach
  void tearDown() throws Exception {
    transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
    transportEvents.awaitTerminated();
    factory.close();
    server.close();
  }

  /** Sends one request and half-closes; requests up to 100 responses. */
  private StreamRecorder call(MethodDescriptor<byte[], byte[]> method, byte[] request,
      Metadata headers, CallOptions options) {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(method, headers, options);
    stream.start(rec);
    stream.request(100);
    stream.writeMessage(new ByteArrayInputStream(request));
    stream.halfClose();
    return rec;
  }

  static byte[] simpleRequest(int responseSize, int payloadSize) {
    return Messages.SimpleRequest.newBuilder()
        .setResponseSize(responseSize)
        .setPayload(Messages.Payload.newBuilder().setBody(ByteString.copyFrom(new byte[payloadSize])))
        .build().toByteArray();
  }

  @Test
  void connectedTransportAndItsStreamsNameTheServersAddressBuiltOnce() throws Exception {
    assertThat(transport.attributes().get(ClientCall.REMOTE_ADDRESS)).contains(server.address());
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(EMPTY_CALL, new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.request(1);
    stream.writeMessage(new ByteArrayInputStream(EmptyProtos.Empty.getDefaultInstance().toByteArray()));
    stream.halfClose();
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(stream.attributes()).as("the transport's, not a copy per stream")
        .isSameAs(transport.attributes());
  }

  @Test
  void transportNotYetStartedHasNoAttributes() {
    ManagedClientTransport unstarted = factory.newClientTransport(server.address(),
        new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
    assertThat(unstarted.attributes()).isEqualTo(Attributes.EMPTY);
    unstarted.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
  }

  @Test
  void emptyUnaryReturnsOkWithAnEmptyMessage() throws Exception {
    StreamRecorder rec = call(EMPTY_CALL, EmptyProtos.Empty.getDefaultInstance().toByteArray(),
        new Metadata(), CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.OK);
    assertThat(closed.progress()).isEqualTo(RpcProgress.PROCESSED);
    assertThat(rec.headers).isCompleted();
    assertThat(rec.messages).hasSize(1);
    assertThat(rec.messages.peek()).isEmpty();
  }

  @Test
  void largeUnaryCarriesBigMessagesBothWays() throws Exception {
    StreamRecorder rec = call(UNARY_CALL, simpleRequest(314_159, 271_828), new Metadata(),
        CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
    Messages.SimpleResponse response = Messages.SimpleResponse.parseFrom(rec.awaitMessage());
    assertThat(response.getPayload().getBody().size()).isEqualTo(314_159);
  }

  @Test
  void requestHeadersCarryAuthorityUserAgentAndMetadataButNotReservedHeaders() throws Exception {
    Metadata headers = new Metadata();
    headers.putAscii("x-custom", "value");
    headers.putBinary("x-custom-bin", new byte[] {0, 1, 2, (byte) 0xff});
    headers.putAscii("content-type", "text/plain");
    headers.putAscii("te", "gzip");
    StreamRecorder rec = call(EMPTY_CALL, new byte[0], headers,
        CallOptions.DEFAULT.withAuthority("override.example:443"));
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    io.grpc.Metadata seen = server.lastHeaders();
    assertThat(seen.get(io.grpc.Metadata.Key.of("x-custom", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("value");
    assertThat(seen.get(io.grpc.Metadata.Key.of("x-custom-bin", io.grpc.Metadata.BINARY_BYTE_MARSHALLER)))
        .containsExactly(0, 1, 2, 0xff);
    assertThat(seen.get(io.grpc.Metadata.Key.of("user-agent", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
        .startsWith("switchboard-test/0.1");
    assertThat(server.lastAuthority()).isEqualTo("override.example:443");
  }

  @Test
  void serverStreamingDeliversEveryResponseInOrder() throws Exception {
    Messages.StreamingOutputCallRequest.Builder req = Messages.StreamingOutputCallRequest.newBuilder();
    int[] sizes = {31_415, 9, 2_653, 58_979};
    for (int size : sizes) {
      req.addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(size));
    }
    StreamRecorder rec = call(STREAMING_OUTPUT, req.build().toByteArray(), new Metadata(),
        CallOptions.DEFAULT);
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(rec.messages).hasSize(sizes.length);
    for (int size : sizes) {
      assertThat(Messages.StreamingOutputCallResponse.parseFrom(rec.messages.poll())
          .getPayload().getBody().size()).isEqualTo(size);
    }
  }

  @Test
  void clientStreamingAggregatesEveryRequest() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(STREAMING_INPUT, new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.request(1);
    int[] sizes = {27_182, 8, 1_828, 45_904};
    for (int size : sizes) {
      stream.writeMessage(new ByteArrayInputStream(Messages.StreamingInputCallRequest.newBuilder()
          .setPayload(Messages.Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
          .build().toByteArray()));
    }
    stream.halfClose();
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(Messages.StreamingInputCallResponse.parseFrom(rec.awaitMessage())
        .getAggregatedPayloadSize()).isEqualTo(74_922);
  }

  @Test
  void bidiPingPongAlternatesRequestsAndResponses() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(FULL_DUPLEX, new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    int[] responseSizes = {31_415, 9, 2_653, 58_979};
    int[] requestSizes = {27_182, 8, 1_828, 45_904};
    for (int i = 0; i < 4; i++) {
      stream.request(1);
      stream.writeMessage(new ByteArrayInputStream(Messages.StreamingOutputCallRequest.newBuilder()
          .addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(responseSizes[i]))
          .setPayload(Messages.Payload.newBuilder().setBody(ByteString.copyFrom(new byte[requestSizes[i]])))
          .build().toByteArray()));
      assertThat(Messages.StreamingOutputCallResponse.parseFrom(rec.awaitMessage())
          .getPayload().getBody().size()).isEqualTo(responseSizes[i]);
    }
    stream.halfClose();
    stream.request(1);
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(rec.onReady.get()).isPositive();
  }

  @Test
  void customMetadataIsEchoedInHeadersAndTrailers() throws Exception {
    Metadata headers = new Metadata();
    headers.putAscii("x-grpc-test-echo-initial", "test_initial_metadata_value");
    byte[] trailing = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
    headers.putBinary("x-grpc-test-echo-trailing-bin", trailing);
    StreamRecorder rec = call(UNARY_CALL, simpleRequest(314_159, 271_828), headers, CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.OK);
    assertThat(rec.headers.get().get(Metadata.Key.of("x-grpc-test-echo-initial",
        Metadata.ASCII_STRING_MARSHALLER))).contains("test_initial_metadata_value");
    assertThat(closed.trailers().get(Metadata.Key.of("x-grpc-test-echo-trailing-bin",
        Metadata.BINARY_BYTE_MARSHALLER))).hasValueSatisfying(v -> assertThat(v).isEqualTo(trailing));
  }

  @Test
  void statusCodeAndSpecialCharacterMessageComeFromTrailers() throws Exception {
    String message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
    byte[] request = Messages.SimpleRequest.newBuilder()
        .setResponseStatus(Messages.EchoStatus.newBuilder().setCode(2).setMessage(message))
        .build().toByteArray();
    Closed closed = call(UNARY_CALL, request, new Metadata(), CallOptions.DEFAULT).awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(closed.status().description()).contains(message);
  }

  @Test
  void unimplementedMethodEndsUnimplemented() throws Exception {
    Closed closed = call(UNIMPLEMENTED, new byte[0], new Metadata(), CallOptions.DEFAULT).awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(closed.status().description().orElse("")).contains("UnimplementedCall");
  }

  @Test
  void unimplementedServiceEndsUnimplemented() throws Exception {
    Closed closed = call(method("grpc.testing.UnimplementedService/UnimplementedCall", MethodType.UNARY),
        new byte[0], new Metadata(), CallOptions.DEFAULT).awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void cancelResetsTheStreamAndTheConnectionStaysUsable() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(FULL_DUPLEX, new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.request(1);
    stream.writeMessage(new ByteArrayInputStream(Messages.StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(31_415))
        .build().toByteArray()));
    rec.awaitMessage();
    stream.cancel(Status.CANCELLED.withDescription("cancelled by the test"));
    stream.cancel(Status.CANCELLED.withDescription("twice"));
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(closed.status().description()).contains("cancelled by the test");
    assertThat(stream.isReady()).isFalse();

    assertThat(call(EMPTY_CALL, new byte[0], new Metadata(), CallOptions.DEFAULT).awaitClosed()
        .status().code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void deadlineTravelsAsGrpcTimeoutAndEndsTheStream() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(FULL_DUPLEX, new Metadata(),
        CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(300)));
    stream.start(rec);
    stream.request(1);
    stream.writeMessage(new ByteArrayInputStream(Messages.StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(1)
            .setIntervalUs((int) TimeUnit.SECONDS.toMicros(5)))
        .build().toByteArray()));
    Closed closed = rec.awaitClosed();
    // Either our timer or the server's (from grpc-timeout, which resets the stream) ends it first.
    assertThat(closed.status().code()).isIn(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
    io.grpc.Deadline serverDeadline = server.lastDeadline();
    assertThat(serverDeadline).as("deadline the server derived from grpc-timeout").isNotNull();
  }

  @Test
  void grpcTimeoutIsHonouredByTheServer() throws Exception {
    StreamRecorder rec = call(EMPTY_CALL, new byte[0], new Metadata(),
        CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(7)));
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    long remaining = server.lastDeadline().timeRemaining(TimeUnit.MILLISECONDS);
    assertThat(remaining).isBetween(1_000L, 7_000L);
  }

  @Test
  void expiredDeadlineEndsTheStreamWithoutSendingIt() throws Exception {
    StreamRecorder rec = call(EMPTY_CALL, new byte[0], new Metadata(),
        CallOptions.DEFAULT.withDeadlineAfter(Duration.ofNanos(-1)));
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void gzipResponsesAreDecompressed() throws Exception {
    byte[] request = Messages.SimpleRequest.newBuilder()
        .setResponseSize(314_159)
        .setResponseCompressed(Messages.BoolValue.newBuilder().setValue(true))
        .build().toByteArray();
    StreamRecorder rec = call(UNARY_CALL, request, new Metadata(), CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
    assertThat(rec.headers.get().get(Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER)))
        .contains("gzip");
    assertThat(Messages.SimpleResponse.parseFrom(rec.awaitMessage()).getPayload().getBody().size())
        .isEqualTo(314_159);
  }

  @Test
  void gzipRequestsAreCompressedAndAccepted() throws Exception {
    Metadata headers = new Metadata();
    StreamRecorder rec = call(UNARY_CALL, simpleRequest(10, 200_000), headers,
        CallOptions.DEFAULT.withCompression("gzip"));
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(server.lastHeaders().get(io.grpc.Metadata.Key.of("grpc-encoding",
        io.grpc.Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("gzip");
  }

  @Test
  void gzipStreamingResponsesAreDecompressed() throws Exception {
    Messages.StreamingOutputCallRequest.Builder req = Messages.StreamingOutputCallRequest.newBuilder();
    req.addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(31_415)
        .setCompressed(Messages.BoolValue.newBuilder().setValue(true)));
    req.addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(92_653)
        .setCompressed(Messages.BoolValue.newBuilder().setValue(false)));
    StreamRecorder rec = call(STREAMING_OUTPUT, req.build().toByteArray(), new Metadata(),
        CallOptions.DEFAULT);
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(Messages.StreamingOutputCallResponse.parseFrom(rec.awaitMessage()).getPayload()
        .getBody().size()).isEqualTo(31_415);
    assertThat(Messages.StreamingOutputCallResponse.parseFrom(rec.awaitMessage()).getPayload()
        .getBody().size()).isEqualTo(92_653);
  }

  @Test
  void serverSeesGzipRequestsAsCompressed() throws Exception {
    byte[] request = Messages.SimpleRequest.newBuilder()
        .setExpectCompressed(Messages.BoolValue.newBuilder().setValue(true))
        .setResponseSize(314_159)
        .setPayload(Messages.Payload.newBuilder().setBody(ByteString.copyFrom(new byte[271_828])))
        .build().toByteArray();
    Closed closed = call(UNARY_CALL, request, new Metadata(), CallOptions.DEFAULT.withCompression("gzip"))
        .awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
  }

  @Test
  void unknownCompressorIsRefusedAtStart() throws Exception {
    Closed closed = call(EMPTY_CALL, new byte[0], new Metadata(),
        CallOptions.DEFAULT.withCompression("snappy")).awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(closed.status().description()).hasValueSatisfying(d -> assertThat(d).contains("snappy"));
  }

  @Test
  void oversizedResponseEndsResourceExhaustedAndTheConnectionStaysUsable() throws Exception {
    StreamRecorder rec = call(UNARY_CALL, simpleRequest(100_000, 1), new Metadata(),
        CallOptions.DEFAULT.withMaxInboundMessageSize(50_000));
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(closed.status().description().orElse("")).contains("50000").contains("100");
    assertThat(call(EMPTY_CALL, new byte[0], new Metadata(), CallOptions.DEFAULT).awaitClosed()
        .status().code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void defaultInboundLimitIsFourMebibytes() throws Exception {
    Closed closed = call(UNARY_CALL, simpleRequest(4 * 1024 * 1024 + 1, 1), new Metadata(),
        CallOptions.DEFAULT).awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(closed.status().description().orElse("")).contains("4194304");
  }

  @Test
  void oversizedRequestEndsResourceExhaustedWithoutSendingIt() throws Exception {
    StreamRecorder rec = call(UNARY_CALL, simpleRequest(1, 10_000), new Metadata(),
        CallOptions.DEFAULT.withMaxOutboundMessageSize(1_000));
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(closed.status().description().orElse("")).contains("1000").contains("exceeds");
    assertThat(call(EMPTY_CALL, new byte[0], new Metadata(), CallOptions.DEFAULT).awaitClosed()
        .status().code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void listenerCallbacksComeFromTheEventLoop() throws Exception {
    StreamRecorder rec = call(EMPTY_CALL, new byte[0], new Metadata(), CallOptions.DEFAULT);
    rec.awaitClosed();
    assertThat(rec.callbackThread.getName()).matches("switchboard-(epoll|nio)-.*");
    assertThat(rec.callbackThread.isDaemon()).as("shared event loop threads are daemons").isTrue();
  }

  @Test
  void manyConcurrentStreamsShareOneConnection() throws Exception {
    StreamRecorder[] recs = new StreamRecorder[200];
    for (int i = 0; i < recs.length; i++) {
      recs[i] = call(UNARY_CALL, simpleRequest(1000, 1000), new Metadata(), CallOptions.DEFAULT);
    }
    for (StreamRecorder rec : recs) {
      assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
      assertThat(rec.messages).hasSize(1);
    }
  }

  @Test
  void authorityAndUserAgentComeFromTheTransportOptionsByDefault() throws Exception {
    call(EMPTY_CALL, new byte[0], new Metadata(), CallOptions.DEFAULT).awaitClosed();
    assertThat(server.lastAuthority()).isEqualTo("localhost:" + server.address().getPort());
    assertThat(server.lastHeaders().get(io.grpc.Metadata.Key.of("user-agent",
        io.grpc.Metadata.ASCII_STRING_MARSHALLER))).startsWith("switchboard-test/0.1");
  }
}
