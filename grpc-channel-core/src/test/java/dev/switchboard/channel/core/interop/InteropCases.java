package dev.switchboard.channel.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCallStreamObserver;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.interop.SwitchboardTestServiceGrpc.TestServiceBlockingStub;
import dev.switchboard.channel.core.interop.SwitchboardTestServiceGrpc.TestServiceStub;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.PayloadType;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plain-text gRPC interop cases (grpc/grpc {@code doc/interop-test-descriptions.md}) made
 * through our channel and the stubs protoc-gen-switchboard generates from grpc's interop {@code
 * test.proto} ({@code SwitchboardTestServiceGrpc}, built by this module's pom), one test per case, named as the case; plus messages past every
 * window and buffer ({@code very_large_response}). Each subclass runs them against one
 * implementation of the interop server: grpc-java's and C-core's.
 */
abstract class InteropCases {

  private static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> ECHO_TRAILING =
      Metadata.Key.of("x-grpc-test-echo-trailing-bin", Metadata.BINARY_BYTE_MARSHALLER);
  private static final Metadata.Key<String> GRPC_ENCODING =
      Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
  private static final int SOAK_ITERATIONS = 10;
  private static final Duration SOAK_MAX_LATENCY = Duration.ofMillis(1000);
  private static final int MIB = 1024 * 1024;

  private ManagedChannel channel;

  /** Returns where the interop server under test listens (plaintext, 127.0.0.1). */
  abstract InetSocketAddress serverAddress();

  @BeforeEach
  void buildChannel() {
    channel = newChannel();
  }

  @AfterEach
  void closeChannel() {
    channel.close();
    assertThat(channel.isTerminated()).as("channel terminated").isTrue();
  }

  private ManagedChannel newChannel() {
    return builder().build();
  }

  private ChannelBuilder builder() {
    return ChannelBuilder.forTarget("127.0.0.1:" + serverAddress().getPort()).usePlaintext();
  }

  private TestServiceBlockingStub blocking(ManagedChannel on) {
    return SwitchboardTestServiceGrpc.newBlockingStub(on);
  }

  private TestServiceStub async() {
    return SwitchboardTestServiceGrpc.newStub(channel);
  }

  private static Payload zeros(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  private static SimpleRequest largeUnaryRequest() {
    return SimpleRequest.newBuilder().setResponseSize(314_159).setPayload(zeros(271_828)).build();
  }

  private static StreamingOutputCallRequest streamingRequest(int requestSize, int responseSize) {
    return StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(responseSize))
        .setPayload(zeros(requestSize))
        .build();
  }

  private static void assertZeros(Payload payload, int size) {
    assertThat(payload.getType()).isEqualTo(PayloadType.COMPRESSABLE);
    assertThat(payload.getBody().size()).isEqualTo(size);
    assertThat(payload.getBody()).isEqualTo(ByteString.copyFrom(new byte[size]));
  }

  /** Returns the status of the call {@code blockingCall} makes, which must fail. */
  private static Status failureOf(ThrowingCallable blockingCall) {
    StatusException e = catchThrowableOfType(StatusException.class, blockingCall);
    assertThat(e).as("the call must fail with a StatusException").isNotNull();
    return e.status();
  }

  private void largeUnary(ManagedChannel on) {
    SimpleResponse response = blocking(on).withDeadlineAfter(Duration.ofSeconds(10)).unaryCall(largeUnaryRequest());
    assertZeros(response.getPayload(), 314_159);
  }

  /** What a call delivered to its listener, for the cases that look at metadata. */
  private record Outcome<T>(Metadata headers, List<T> messages, Status status, Metadata trailers) {}

  /** Makes a call through the listener-level API: sends {@code requests}, half-closes, waits for the end. */
  @SafeVarargs
  private <ReqT, RespT> Outcome<RespT> call(MethodDescriptor<ReqT, RespT> method, CallOptions options,
      ReqT... requests) throws Exception {
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    CompletableFuture<Metadata> headers = new CompletableFuture<>();
    List<RespT> messages = new CopyOnWriteArrayList<>();
    CompletableFuture<Outcome<RespT>> outcome = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onHeaders(Metadata h) {
        headers.complete(h);
      }

      @Override
      public void onMessage(RespT message) {
        messages.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        outcome.complete(new Outcome<>(headers.getNow(null), List.copyOf(messages), status, trailers));
      }
    }, new Metadata());
    call.request(Integer.MAX_VALUE);
    for (ReqT request : requests) {
      call.sendMessage(request);
    }
    call.halfClose();
    return outcome.get(10, TimeUnit.SECONDS);
  }

  @Test
  void empty_unary() {
    Empty response = blocking(channel).emptyCall(Empty.getDefaultInstance());
    assertThat(response).isEqualTo(Empty.getDefaultInstance());
  }

  @Test
  void large_unary() {
    largeUnary(channel);
  }

  @Test
  void client_streaming() throws Exception {
    ResponseRecorder<StreamingInputCallResponse> responses = new ResponseRecorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests = async().streamingInputCall(responses);
    for (int size : new int[] {27_182, 8, 1_828, 45_904}) {
      requests.onNext(StreamingInputCallRequest.newBuilder().setPayload(zeros(size)).build());
    }
    requests.onCompleted();
    assertThat(responses.awaitMessage().getAggregatedPayloadSize()).isEqualTo(74_922);
    assertThat(responses.awaitClose()).isEqualTo(Status.OK);
    assertThat(responses.remaining()).isEmpty();
  }

  @Test
  void server_streaming() {
    int[] sizes = {31_415, 9, 2_653, 58_979};
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    for (int size : sizes) {
      request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
    }
    Iterator<StreamingOutputCallResponse> responses =
        blocking(channel).withDeadlineAfter(Duration.ofSeconds(10)).streamingOutputCall(request.build());
    List<Integer> received = new ArrayList<>();
    while (responses.hasNext()) {
      StreamingOutputCallResponse response = responses.next();
      assertZeros(response.getPayload(), response.getPayload().getBody().size());
      received.add(response.getPayload().getBody().size());
    }
    assertThat(received).containsExactly(31_415, 9, 2_653, 58_979);
  }

  @Test
  void ping_pong() throws Exception {
    int[] requestSizes = {27_182, 8, 1_828, 45_904};
    int[] responseSizes = {31_415, 9, 2_653, 58_979};
    ResponseRecorder<StreamingOutputCallResponse> responses = new ResponseRecorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests = async().fullDuplexCall(responses);
    for (int i = 0; i < requestSizes.length; i++) {
      requests.onNext(streamingRequest(requestSizes[i], responseSizes[i]));
      assertZeros(responses.awaitMessage().getPayload(), responseSizes[i]);
    }
    requests.onCompleted();
    assertThat(responses.awaitClose()).isEqualTo(Status.OK);
    assertThat(responses.remaining()).isEmpty();
  }

  @Test
  void empty_stream() throws Exception {
    ResponseRecorder<StreamingOutputCallResponse> responses = new ResponseRecorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests = async().fullDuplexCall(responses);
    requests.onCompleted();
    assertThat(responses.awaitClose()).isEqualTo(Status.OK);
    assertThat(responses.remaining()).isEmpty();
  }

  @Test
  void custom_metadata() throws Exception {
    byte[] trailingValue = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
    Metadata extra = new Metadata();
    extra.put(ECHO_INITIAL, "test_initial_metadata_value");
    extra.put(ECHO_TRAILING, trailingValue);
    CallOptions options = CallOptions.DEFAULT.withExtraHeaders(extra);

    Outcome<SimpleResponse> unary = call(SwitchboardTestServiceGrpc.getUnaryCallMethod(), options, largeUnaryRequest());
    assertThat(unary.status()).isEqualTo(Status.OK);
    assertZeros(unary.messages().get(0).getPayload(), 314_159);
    assertThat(unary.headers().getAll(ECHO_INITIAL)).containsExactly("test_initial_metadata_value");
    assertThat(unary.trailers().getAll(ECHO_TRAILING)).containsExactly(trailingValue);

    Outcome<StreamingOutputCallResponse> duplex =
        call(SwitchboardTestServiceGrpc.getFullDuplexCallMethod(), options, streamingRequest(271_828, 314_159));
    assertThat(duplex.status()).isEqualTo(Status.OK);
    assertThat(duplex.messages()).hasSize(1);
    assertZeros(duplex.messages().get(0).getPayload(), 314_159);
    assertThat(duplex.headers().getAll(ECHO_INITIAL)).containsExactly("test_initial_metadata_value");
    assertThat(duplex.trailers().getAll(ECHO_TRAILING)).containsExactly(trailingValue);
  }

  @Test
  void status_code_and_message() throws Exception {
    EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage("test status message").build();

    Status unary = failureOf(() -> blocking(channel).unaryCall(SimpleRequest.newBuilder().setResponseStatus(echo).build()));
    assertThat(unary.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(unary.description()).contains("test status message");

    Outcome<StreamingOutputCallResponse> duplex = call(SwitchboardTestServiceGrpc.getFullDuplexCallMethod(),
        CallOptions.DEFAULT, StreamingOutputCallRequest.newBuilder().setResponseStatus(echo).build());
    assertThat(duplex.status().code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(duplex.status().description()).contains("test status message");
  }

  @Test
  void special_status_message() {
    String message = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";
    SimpleRequest request = SimpleRequest.newBuilder()
        .setResponseStatus(EchoStatus.newBuilder().setCode(2).setMessage(message))
        .build();
    Status status = failureOf(() -> blocking(channel).unaryCall(request));
    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description()).contains(message);
  }

  @Test
  void unimplemented_method() {
    // A method TestService declares but grpc-java's TestServiceImpl does not implement.
    Status status = failureOf(() -> blocking(channel).unimplementedCall(Empty.getDefaultInstance()));
    assertThat(status.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void unimplemented_service() {
    // A service the interop server does not have.
    Status status = failureOf(() -> SwitchboardUnimplementedServiceGrpc.newBlockingStub(channel)
        .unimplementedCall(Empty.getDefaultInstance()));
    assertThat(status.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void cancel_after_begin() throws Exception {
    ResponseRecorder<StreamingInputCallResponse> responses = new ResponseRecorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests = async().streamingInputCall(responses);
    requests.cancel("cancelled by the test before any message", null);
    assertThat(responses.awaitClose().code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(responses.remaining()).isEmpty();
  }

  @Test
  void cancel_after_first_response() throws Exception {
    ResponseRecorder<StreamingOutputCallResponse> responses = new ResponseRecorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests = async().fullDuplexCall(responses);
    requests.onNext(streamingRequest(27_182, 31_415));
    assertZeros(responses.awaitMessage().getPayload(), 31_415);
    requests.cancel("cancelled by the test after the first response", null);
    assertThat(responses.awaitClose().code()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void timeout_on_sleeping_server() throws Exception {
    ResponseRecorder<StreamingOutputCallResponse> responses = new ResponseRecorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests =
        async().withDeadlineAfter(Duration.ofMillis(1)).fullDuplexCall(responses);
    // The call may already be over when the message goes out; the message is then dropped.
    requests.onNext(StreamingOutputCallRequest.newBuilder().setPayload(zeros(27_182)).build());
    assertThat(responses.awaitClose().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void very_large_request() {
    SimpleRequest request = SimpleRequest.newBuilder()
        .setResponseSize(10)
        .setPayload(zeros(10 * 1024 * 1024))
        .build();
    SimpleResponse response = blocking(channel).withDeadlineAfter(Duration.ofSeconds(10)).unaryCall(request);
    assertZeros(response.getPayload(), 10);
  }

  @Test
  void very_large_response() throws Exception {
    SimpleResponse fiveMib = blocking(channel).withDeadlineAfter(Duration.ofSeconds(10))
        .withMaxInboundMessageSize(6 * MIB)
        .unaryCall(SimpleRequest.newBuilder().setResponseSize(5 * MIB).build());
    assertZeros(fiveMib.getPayload(), 5 * MIB);

    try (ManagedChannel raised = builder().maxInboundMessageSize(32 * MIB).build()) {
      SimpleResponse sixteenMib = blocking(raised).withDeadlineAfter(Duration.ofSeconds(10))
          .unaryCall(SimpleRequest.newBuilder().setResponseSize(16 * MIB).build());
      assertZeros(sixteenMib.getPayload(), 16 * MIB);
    }

    StreamingOutputCallRequest.Builder stream = StreamingOutputCallRequest.newBuilder();
    for (int size : new int[] {MIB + 1, 3 * MIB, 2 * MIB}) {
      stream.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
    }
    Outcome<StreamingOutputCallResponse> streamed =
        call(SwitchboardTestServiceGrpc.getStreamingOutputCallMethod(), CallOptions.DEFAULT, stream.build());
    assertThat(streamed.status()).isEqualTo(Status.OK);
    assertThat(streamed.messages()).extracting(m -> m.getPayload().getBody().size())
        .containsExactly(MIB + 1, 3 * MIB, 2 * MIB);
  }

  @Test
  void server_compressed_unary() throws Exception {
    Outcome<SimpleResponse> compressed = call(SwitchboardTestServiceGrpc.getUnaryCallMethod(), CallOptions.DEFAULT,
        largeUnaryRequest().toBuilder()
        .setResponseCompressed(BoolValue.newBuilder().setValue(true)).build());
    assertThat(compressed.status()).isEqualTo(Status.OK);
    assertThat(compressed.headers().get(GRPC_ENCODING)).contains("gzip");
    assertZeros(compressed.messages().get(0).getPayload(), 314_159);

    Outcome<SimpleResponse> plain = call(SwitchboardTestServiceGrpc.getUnaryCallMethod(), CallOptions.DEFAULT,
        largeUnaryRequest().toBuilder()
        .setResponseCompressed(BoolValue.newBuilder().setValue(false)).build());
    assertThat(plain.status()).isEqualTo(Status.OK);
    assertThat(plain.headers().get(GRPC_ENCODING)).isNotEqualTo(Optional.of("gzip"));
    assertZeros(plain.messages().get(0).getPayload(), 314_159);
  }

  @Test
  void server_compressed_streaming() throws Exception {
    StreamingOutputCallRequest request = StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(31_415)
            .setCompressed(BoolValue.newBuilder().setValue(true)))
        .addResponseParameters(ResponseParameters.newBuilder().setSize(92_653)
            .setCompressed(BoolValue.newBuilder().setValue(false)))
        .build();
    Outcome<StreamingOutputCallResponse> outcome =
        call(SwitchboardTestServiceGrpc.getStreamingOutputCallMethod(), CallOptions.DEFAULT, request);
    // No grpc-encoding check here: the spec asks for the compressed flag only "if supported by the
    // implementation", and grpc-java's TestServiceImpl sends streaming responses uncompressed.
    assertThat(outcome.status()).isEqualTo(Status.OK);
    assertThat(outcome.messages()).hasSize(2);
    assertZeros(outcome.messages().get(0).getPayload(), 31_415);
    assertZeros(outcome.messages().get(1).getPayload(), 92_653);
  }

  @Test
  void rpc_soak() {
    largeUnary(channel); // connect outside the timed iterations
    for (int i = 0; i < SOAK_ITERATIONS; i++) {
      long start = System.nanoTime();
      largeUnary(channel);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("iteration %d latency", i)
          .isLessThanOrEqualTo(SOAK_MAX_LATENCY);
    }
  }

  @Test
  void channel_soak() {
    for (int i = 0; i < SOAK_ITERATIONS; i++) {
      long start = System.nanoTime();
      ManagedChannel fresh = newChannel();
      try {
        largeUnary(fresh);
      } finally {
        fresh.close();
      }
      assertThat(fresh.isTerminated()).as("iteration %d channel terminated", i).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("iteration %d latency", i)
          .isLessThanOrEqualTo(SOAK_MAX_LATENCY);
    }
  }
}
