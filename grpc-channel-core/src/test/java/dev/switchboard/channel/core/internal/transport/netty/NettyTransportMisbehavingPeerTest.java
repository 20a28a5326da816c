package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.TestListeners.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener.RpcProgress;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.MisbehavingServer.Behaviour;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.Closed;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every fault of a raw HTTP/2 peer ends its stream with a clear status, and never hangs. */
class NettyTransportMisbehavingPeerTest {

  private MisbehavingServer server;
  private NettyTransportFactory factory;
  private ManagedClientTransport transport;
  private TransportRecorder events;

  @BeforeEach
  void setUp() throws Exception {
    server = new MisbehavingServer();
    factory = new NettyTransportFactory(NettyTransportSettings.newBuilder().usePlaintext().build());
    events = new TransportRecorder();
    transport = factory.newClientTransport(server.address(),
        new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
    transport.start(events);
    events.awaitReady();
  }

  @AfterEach
  void tearDown() throws Exception {
    transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
    events.awaitTerminated();
    factory.close();
    server.close();
  }

  private StreamRecorder call(Behaviour behaviour, CallOptions options) {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(
        method("misbehave.Service/" + behaviour.name(), MethodType.UNARY), new Metadata(), options);
    stream.start(rec);
    stream.request(10);
    stream.writeMessage(new ByteArrayInputStream("ping".getBytes(StandardCharsets.US_ASCII)));
    stream.halfClose();
    return rec;
  }

  private Closed fails(Behaviour behaviour, Status.Code code, String... inDescription) throws Exception {
    Closed closed = call(behaviour, CallOptions.DEFAULT).awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(code);
    assertThat(closed.status().description().orElse("")).contains(inDescription);
    return closed;
  }

  private void connectionStillWorks() throws Exception {
    StreamRecorder rec = call(Behaviour.Ok, CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
    assertThat(new String(rec.awaitMessage(), StandardCharsets.US_ASCII)).isEqualTo("pong");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void aResponseWrittenAtOnceReachesTheListenerAsOneBatchOfEvents() throws Exception {
    StreamRecorder rec = call(Behaviour.Ok, CallOptions.DEFAULT);
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(rec.headers).isDone();
    assertThat(rec.messageCount.get()).isEqualTo(1);
    // HEADERS, DATA and trailers left the server in one write, so they came in one read: one batch,
    // ended once. (Another batch may come before it, such as an onReady when the server's
    // WINDOW_UPDATE arrives in a read of its own.)
    assertThat(rec.messageBatch).isEqualTo(rec.headersBatch);
    assertThat(rec.closeBatch).isEqualTo(rec.headersBatch);
    TestListeners.await(() -> rec.batches.get() == rec.closeBatch + 1, "the response's batch ended, once");
  }

  @Test
  void aCloseOutsideAReadEndsItsBatchAtOnce() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(
        method("misbehave.Service/Silent", MethodType.UNARY), new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.writeMessage(new ByteArrayInputStream(new byte[0]));
    stream.halfClose();
    stream.cancel(Status.CANCELLED.withDescription("bored"));
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.CANCELLED);
    TestListeners.await(() -> rec.batches.get() == 1, "the batch of the close ended");
  }

  @Test
  void wellBehavedStreamWorks() throws Exception {
    connectionStillWorks();
  }

  @Test
  void aUnaryRequestAndItsHalfCloseLeaveAsOneDataFrame() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(method("misbehave.Service/Silent", MethodType.UNARY),
        new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.request(1);
    stream.writeMessage(new ByteArrayInputStream(new byte[10]));
    stream.halfClose();
    TestListeners.await(() -> !server.dataFrames.isEmpty(), "the request");
    assertThat(server.dataFrames).containsExactly("15:END_STREAM");
    stream.cancel(Status.CANCELLED);
    rec.awaitClosed();
  }

  @Test
  void aStreamingRequestIsSentBeforeTheHalfClose() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(method("misbehave.Service/Silent", MethodType.BIDI_STREAMING),
        new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.writeMessage(new ByteArrayInputStream(new byte[10]));
    TestListeners.await(() -> !server.dataFrames.isEmpty(), "the first message");
    stream.halfClose();
    TestListeners.await(() -> server.dataFrames.size() == 2, "the half-close");
    assertThat(server.dataFrames).containsExactly("15", "0:END_STREAM");
    stream.cancel(Status.CANCELLED);
    rec.awaitClosed();
  }

  @Test
  void gzipCallsCompressUnlessMessageCompressionIsTurnedOff() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(method("misbehave.Service/Silent", MethodType.BIDI_STREAMING),
        new Metadata(), CallOptions.DEFAULT.withCompression("gzip"));
    stream.start(rec);
    stream.writeMessage(new ByteArrayInputStream("compressed".getBytes(StandardCharsets.US_ASCII)));
    stream.flush();
    TestListeners.await(() -> server.messageFlags.size() == 1, "the first message");
    stream.setMessageCompression(false);
    stream.writeMessage(new ByteArrayInputStream("plain".getBytes(StandardCharsets.US_ASCII)));
    TestListeners.await(() -> server.messageFlags.size() == 2, "the second message");
    assertThat(server.messageFlags).containsExactly(1, 0);
    assertThat(server.requestHeaders.peek().get("grpc-encoding").toString()).isEqualTo("gzip");
    stream.cancel(Status.CANCELLED);
    rec.awaitClosed();
  }

  @Test
  void requestHeadersFollowTheGrpcSpec() throws Exception {
    call(Behaviour.Ok, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(30))).awaitClosed();
    io.netty.handler.codec.http2.Http2Headers h = server.requestHeaders.peek();
    assertThat(h.method().toString()).isEqualTo("POST");
    assertThat(h.scheme().toString()).isEqualTo("http");
    assertThat(h.path().toString()).isEqualTo("/misbehave.Service/Ok");
    assertThat(h.authority().toString()).isEqualTo("localhost");
    assertThat(h.get("content-type").toString()).isEqualTo("application/grpc");
    assertThat(h.get("te").toString()).isEqualTo("trailers");
    assertThat(h.get("user-agent").toString()).isEqualTo("switchboard-test/0.1");
    assertThat(h.get("grpc-accept-encoding").toString()).isEqualTo("gzip");
    assertThat(h.get("grpc-timeout").toString()).matches("[0-9]{1,8}[HMSmun]");
    assertThat(h.contains("grpc-encoding")).isFalse();
  }

  @Test
  void aThrowingListenerFailsItsStreamButNotTheConnection() throws Exception {
    StreamRecorder rec = new StreamRecorder() {
      @Override
      public void messageRead(java.io.InputStream message) {
        throw new IllegalStateException("listener bug");
      }
    };
    ClientStream stream = transport.newStream(method("misbehave.Service/Ok", MethodType.UNARY),
        new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.request(1);
    stream.halfClose();
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(closed.status().description().orElse("")).contains("listener bug");
    connectionStillWorks();
  }

  @Test
  void messageSplitAcrossFramesIsReassembled() throws Exception {
    StreamRecorder rec = call(Behaviour.SplitFrames, CallOptions.DEFAULT);
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(new String(rec.awaitMessage(), StandardCharsets.US_ASCII)).isEqualTo("pong");
  }

  @Test
  void pingAcknowledgementsNobodyAskedForChangeNoWindow() throws Exception {
    StreamRecorder rec = call(Behaviour.UnsolicitedPingAcks, CallOptions.DEFAULT);
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(new String(rec.awaitMessage(), StandardCharsets.US_ASCII)).isEqualTo("pong");
    connectionStillWorks();
    assertThat(TestListeners.receiveWindows((NettyClientTransport) transport))
        .as("stream and connection windows").containsExactly(1 << 20, 1 << 20);
  }

  @Test
  void oversizedMessageEndsResourceExhaustedNamingSizeAndLimit() throws Exception {
    fails(Behaviour.Oversized, Status.Code.RESOURCE_EXHAUSTED, "10485760", "4194304");
    connectionStillWorks();
  }

  @Test
  void frameLengthBeyondTheDataIsInternal() throws Exception {
    fails(Behaviour.LengthBeyondData, Status.Code.INTERNAL, "10 of 100 bytes");
    connectionStillWorks();
  }

  @Test
  void serversErrorStatusWinsOverAMessageItsTrailersCutShort() throws Exception {
    fails(Behaviour.ErrorTrailersMidMessage, Status.Code.RESOURCE_EXHAUSTED, "server limit");
    connectionStillWorks();
  }

  @Test
  void compressedFlagWithoutEncodingIsInternal() throws Exception {
    fails(Behaviour.CompressedWithoutEncoding, Status.Code.INTERNAL, "grpc-encoding");
    connectionStillWorks();
  }

  @Test
  void unknownResponseEncodingIsInternalNamingIt() throws Exception {
    fails(Behaviour.UnknownEncoding, Status.Code.INTERNAL, "'br'");
    connectionStillWorks();
  }

  @Test
  void invalidGrpcStatusIsInternalNamingIt() throws Exception {
    fails(Behaviour.InvalidGrpcStatus, Status.Code.INTERNAL, "grpc-status 'abc'");
    connectionStillWorks();
  }

  @Test
  void unknownGrpcStatusNumberIsUnknownNamingItAndKeepsTheMessage() throws Exception {
    fails(Behaviour.UnknownGrpcStatus, Status.Code.UNKNOWN, "99", "odd code");
    connectionStillWorks();
  }

  @Test
  void secondHeadersWithoutEndStreamIsInternal() throws Exception {
    fails(Behaviour.TwoHeaders, Status.Code.INTERNAL, "headers");
    connectionStillWorks();
  }

  @Test
  void malformedBinaryHeaderIsInternalNamingIt() throws Exception {
    fails(Behaviour.BadBinaryHeader, Status.Code.INTERNAL, "binary header");
    connectionStillWorks();
  }

  @Test
  void missingGrpcStatusIsInternal() throws Exception {
    fails(Behaviour.MissingGrpcStatus, Status.Code.INTERNAL, "no grpc-status");
    connectionStillWorks();
  }

  @Test
  void missingContentTypeWithHttp200IsUnknownAsInGrpcJavaAndGo() throws Exception {
    fails(Behaviour.MissingContentType, Status.Code.UNKNOWN, "no content-type");
    connectionStillWorks();
  }

  @Test
  void nonGrpcContentTypeWithHttp200IsUnknownNamingIt() throws Exception {
    fails(Behaviour.HtmlContentType, Status.Code.UNKNOWN, "HTTP status code 200");
    fails(Behaviour.HtmlContentType, Status.Code.UNKNOWN, "'text/html'");
    connectionStillWorks();
  }

  @Test
  void httpStatusesMapPerTheGrpcSpec() throws Exception {
    fails(Behaviour.Http503, Status.Code.UNAVAILABLE, "HTTP status code 503");
    fails(Behaviour.Http404, Status.Code.UNIMPLEMENTED, "HTTP status code 404");
    connectionStillWorks();
  }

  @Test
  void headersOverTheListLimitEndTheStream() throws Exception {
    Closed closed = call(Behaviour.HugeHeaders, CallOptions.DEFAULT).awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString())
        .isIn(Status.Code.INTERNAL, Status.Code.RESOURCE_EXHAUSTED);
    assertThat(closed.status().description().orElse("")).containsIgnoringCase("header");
    connectionStillWorks();
  }

  @Test
  void refusedStreamIsUnavailableAndRefused() throws Exception {
    Closed closed = fails(Behaviour.RefuseStream, Status.Code.UNAVAILABLE, "REFUSED_STREAM");
    assertThat(closed.progress()).isEqualTo(RpcProgress.REFUSED);
    connectionStillWorks();
  }

  @Test
  void serverCancelIsCancelled() throws Exception {
    Closed closed = fails(Behaviour.CancelStream, Status.Code.CANCELLED, "CANCEL");
    assertThat(closed.progress()).isEqualTo(RpcProgress.PROCESSED);
    connectionStillWorks();
  }

  @Test
  void endOfStreamOnDataWithoutTrailersIsInternal() throws Exception {
    StreamRecorder rec = call(Behaviour.EndOnData, CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(closed.status().description().orElse("")).contains("without trailers");
    connectionStillWorks();
  }

  @Test
  void silentServerEndsTheStreamOnTheDeadline() throws Exception {
    Closed closed = call(Behaviour.Silent, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(200)))
        .awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(closed.status().description().orElse("")).contains("deadline");
    TestListeners.await(() -> server.resets.stream().anyMatch(r -> r.endsWith(":CANCEL")), "RST_STREAM(CANCEL) at the server");
    connectionStillWorks();
  }

  @Test
  void cancelSendsRstStreamCancel() throws Exception {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(
        method("misbehave.Service/Silent", MethodType.UNARY), new Metadata(), CallOptions.DEFAULT);
    stream.start(rec);
    stream.halfClose(); // a unary stream goes out with its half-close, as in grpc-java
    TestListeners.await(stream::isReady, "the stream to open");
    stream.cancel(Status.CANCELLED.withDescription("user cancelled"));
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.CANCELLED);
    TestListeners.await(() -> server.resets.stream().anyMatch(r -> r.endsWith(":CANCEL")), "RST_STREAM(CANCEL) at the server");
    connectionStillWorks();
  }

  @Test
  void oversizedMessageResetsTheStreamAtTheServer() throws Exception {
    fails(Behaviour.Oversized, Status.Code.RESOURCE_EXHAUSTED, "exceeds the limit");
    TestListeners.await(() -> server.resets.stream().anyMatch(r -> r.endsWith(":CANCEL")), "RST_STREAM(CANCEL) at the server");
  }

  @Test
  void connectionClosedMidMessageFailsTheStreamUnavailable() throws Exception {
    Closed closed = fails(Behaviour.CloseMidMessage, Status.Code.UNAVAILABLE, "closed");
    assertThat(closed.status().description().orElse("")).contains(String.valueOf(server.address().getPort()));
    assertThat(events.awaitShutdown().code()).isEqualTo(Status.Code.UNAVAILABLE);
    events.awaitTerminated();
  }

  @Test
  void goAwayRefusesStreamsAboveTheLastOneAndLetsTheOthersFinish() throws Exception {
    StreamRecorder first = new StreamRecorder();
    ClientStream survivor = transport.newStream(
        method("misbehave.Service/Silent", MethodType.UNARY), new Metadata(), CallOptions.DEFAULT);
    survivor.start(first);
    // Sent whole (a unary stream leaves at its half-close), so the server knows it; never answered.
    survivor.writeMessage(new java.io.ByteArrayInputStream(new byte[0]));
    survivor.halfClose();
    StreamRecorder second = call(Behaviour.GoAwayBelow, CallOptions.DEFAULT);
    Closed refused = second.awaitClosed();
    assertThat(refused.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.progress()).isEqualTo(RpcProgress.REFUSED);
    Status shutdown = events.awaitShutdown();
    assertThat(shutdown.description().orElse("")).contains("GOAWAY").contains("going away");
    assertThat(first.closed).isNotDone();
    assertThat(events.terminated).isNotDone();

    StreamRecorder afterGoAway = call(Behaviour.Ok, CallOptions.DEFAULT);
    assertThat(afterGoAway.awaitClosed().progress()).isEqualTo(RpcProgress.REFUSED);
    survivor.cancel(Status.CANCELLED.withDescription("done waiting"));
    assertThat(first.awaitClosed().status().code()).isEqualTo(Status.Code.CANCELLED);
    events.awaitTerminated();
    assertThat(events.events).containsSubsequence("ready", "shutdown", "terminated");
  }
}
