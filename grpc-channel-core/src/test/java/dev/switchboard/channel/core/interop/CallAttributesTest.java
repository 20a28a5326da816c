package dev.switchboard.channel.core.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientCall#attributes()} of the channel's calls, end to end with grpc-java's interop
 * server: the remote address of the connection a call went out on, through interceptors too, and
 * nothing for a call that never reached a connection.
 */
class CallAttributesTest {

  private static GrpcJavaInteropServer server;

  @BeforeAll
  static void startServer() {
    server = GrpcJavaInteropServer.plaintext();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  /** Makes one empty call and returns its status once the listener heard onClose. */
  private static Status emptyCall(ClientCall<Empty, Empty> call) throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage(Empty.getDefaultInstance());
    call.halfClose();
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void callThatReachedTheServerNamesItsAddressAfterClose() throws Exception {
    try (ManagedChannel channel = ChannelBuilder
        .forTarget("127.0.0.1:" + server.address().getPort()).usePlaintext().build()) {
      ClientCall<Empty, Empty> call = channel.newCall(SwitchboardTestServiceGrpc.getEmptyCallMethod(), CallOptions.DEFAULT);
      assertThat(call.attributes()).as("before start").isEqualTo(Attributes.EMPTY);

      assertThat(emptyCall(call)).isEqualTo(Status.OK);

      assertThat(call.attributes().get(ClientCall.REMOTE_ADDRESS)).contains(server.address());
    }
  }

  /** Reads the attributes of the call it wraps when its listener hears onHeaders and onClose. */
  private static final class AttributesAtCallbacks implements ClientInterceptor {
    final CompletableFuture<Optional<SocketAddress>> atHeaders = new CompletableFuture<>();
    final CompletableFuture<Optional<SocketAddress>> atClose = new CompletableFuture<>();

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
      return new SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          ClientCall<ReqT, RespT> self = this;
          super.start(new SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onHeaders(Metadata responseHeaders) {
              atHeaders.complete(self.attributes().get(ClientCall.REMOTE_ADDRESS));
              super.onHeaders(responseHeaders);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              atClose.complete(self.attributes().get(ClientCall.REMOTE_ADDRESS));
              super.onClose(status, trailers);
            }
          }, headers);
        }
      };
    }
  }

  @Test
  void interceptedCallNamesTheServersAddressByTheTimeItsListenerHearsHeadersAndClose() throws Exception {
    AttributesAtCallbacks interceptor = new AttributesAtCallbacks();
    try (ManagedChannel channel = ChannelBuilder
        .forTarget("127.0.0.1:" + server.address().getPort()).usePlaintext()
        .intercept(interceptor).build()) {
      ClientCall<Empty, Empty> call = channel.newCall(SwitchboardTestServiceGrpc.getEmptyCallMethod(), CallOptions.DEFAULT);

      assertThat(emptyCall(call)).isEqualTo(Status.OK);

      assertThat(interceptor.atHeaders.getNow(null)).contains(server.address());
      assertThat(interceptor.atClose.getNow(null)).contains(server.address());
      assertThat(call.attributes().get(ClientCall.REMOTE_ADDRESS)).contains(server.address());
    }
  }

  @Test
  void callThatFailedBeforeAnyConnectionHasNoAttributes() throws Exception {
    int closedPort;
    // A port that was free a moment ago: connecting to it is refused.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + closedPort)
        .usePlaintext().build()) {
      ClientCall<Empty, Empty> call = channel.newCall(SwitchboardTestServiceGrpc.getEmptyCallMethod(), CallOptions.DEFAULT);

      assertThat(emptyCall(call).code()).isEqualTo(Status.Code.UNAVAILABLE);

      assertThat(call.attributes()).isEqualTo(Attributes.EMPTY);
    }
  }
}
