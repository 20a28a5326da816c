package dev.switchboard.channel.core.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.stub.ForwardingClientCall.SimpleForwardingClientCall;
import dev.switchboard.channel.api.stub.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import dev.switchboard.channel.core.ChannelBuilder;
import io.grpc.testing.integration.EmptyProtos.Empty;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request headers as the server receives them through the channel: {@code CallOptions} extra
 * headers, the {@code :authority} override, and the order of the builder's interceptors, seen end to end with grpc-java's interop
 * server, which echoes {@code x-grpc-test-echo-initial} into its response headers.
 */
class ChannelHeadersAndInterceptorsTest {

  private static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> OWN =
      Metadata.Key.of("x-own-header", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> EXTRA =
      Metadata.Key.of("x-extra-header", Metadata.ASCII_STRING_MARSHALLER);

  private static GrpcJavaInteropServer server;

  @BeforeAll
  static void startServer() {
    server = GrpcJavaInteropServer.plaintext();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static ChannelBuilder builder() {
    return ChannelBuilder.forTarget("127.0.0.1:" + server.address().getPort()).usePlaintext();
  }

  private static List<String> serverSaw(Metadata.Key<String> key) {
    Iterable<String> values = server.lastHeaders().getAll(
        io.grpc.Metadata.Key.of(key.name(), io.grpc.Metadata.ASCII_STRING_MARSHALLER));
    List<String> list = new ArrayList<>();
    if (values != null) { // grpc-java's way of saying "none"
      values.forEach(list::add);
    }
    return list;
  }

  @Test
  void extraHeadersFromCallOptionsAreSentAfterTheHeadersGivenToStart() throws Exception {
    Metadata extra = new Metadata();
    extra.put(EXTRA, "from-call-options");
    extra.put(OWN, "also-from-call-options");
    Metadata own = new Metadata();
    own.put(OWN, "from-start");
    try (ManagedChannel channel = builder().build()) {
      ClientCall<Empty, Empty> call = channel.newCall(SwitchboardTestServiceGrpc.getEmptyCallMethod(), CallOptions.DEFAULT.withExtraHeaders(extra));
      ResponseRecorder<Empty> responses = new ResponseRecorder<>();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onMessage(Empty message) {
          responses.onNext(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          if (status.isOk()) {
            responses.onCompleted();
          } else {
            responses.onError(status.asException(trailers));
          }
        }
      }, own);
      call.request(1);
      call.sendMessage(Empty.getDefaultInstance());
      call.halfClose();
      assertThat(responses.awaitClose()).isEqualTo(Status.OK);
    }
    assertThat(serverSaw(EXTRA)).containsExactly("from-call-options");
    assertThat(serverSaw(OWN)).containsExactly("from-start", "also-from-call-options");
    assertThat(own.getAll(OWN)).as("the caller's metadata is left alone").containsExactly("from-start");
  }

  @Test
  void extraHeadersReachTheServerThroughTheBlockingStub() {
    Metadata extra = new Metadata();
    extra.put(EXTRA, "blocking");
    try (ManagedChannel channel = builder().build()) {
      SwitchboardTestServiceGrpc.newBlockingStub(channel).withCallOptions(CallOptions.DEFAULT.withExtraHeaders(extra))
          .emptyCall(Empty.getDefaultInstance());
    }
    assertThat(serverSaw(EXTRA)).containsExactly("blocking");
  }

  @Test
  void overriddenAuthorityIsSentAndAPerCallAuthorityWinsOverIt() {
    try (ManagedChannel channel = builder().overrideAuthority("override.example:8443").build()) {
      SwitchboardTestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance());
      assertThat(server.lastAuthority()).isEqualTo("override.example:8443");
      SwitchboardTestServiceGrpc.newBlockingStub(channel).withCallOptions(CallOptions.DEFAULT.withAuthority("per-call.example"))
          .emptyCall(Empty.getDefaultInstance());
      assertThat(server.lastAuthority()).isEqualTo("per-call.example");
    }
  }

  /** Adds its name to the echoed header on the way out; records what it sees both ways. */
  private record NamingInterceptor(String name, List<String> events) implements ClientInterceptor {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
      return new SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          events.add(name + " start, headers so far " + headers.getAll(ECHO_INITIAL));
          headers.put(ECHO_INITIAL, name);
          super.start(new SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onHeaders(Metadata responseHeaders) {
              events.add(name + " onHeaders " + responseHeaders.getAll(ECHO_INITIAL));
              super.onHeaders(responseHeaders);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              events.add(name + " onClose " + status.code());
              super.onClose(status, trailers);
            }
          }, headers);
        }
      };
    }
  }

  @Test
  void firstInterceptorGivenSeesTheCallFirstAndItsResponseLast() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (ManagedChannel channel = builder()
        .intercept(new NamingInterceptor("a", events), new NamingInterceptor("b", events))
        .intercept(new NamingInterceptor("c", events))
        .build()) {
      SwitchboardTestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance());
    }
    assertThat(serverSaw(ECHO_INITIAL)).containsExactly("a", "b", "c");
    assertThat(events).containsExactly(
        "a start, headers so far []",
        "b start, headers so far [a]",
        "c start, headers so far [a, b]",
        "c onHeaders [a, b, c]",
        "b onHeaders [a, b, c]",
        "a onHeaders [a, b, c]",
        "c onClose OK",
        "b onClose OK",
        "a onClose OK");
  }
}
