package dev.switchboard.channel.api.stub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ClientInterceptorsTest {

  private static final Metadata.Key<String> SEEN_BY = Metadata.Key.of("seen-by", Metadata.ASCII_STRING_MARSHALLER);

  private final FakeChannel channel = new FakeChannel();
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** Records when it creates, starts and hears the call; adds its name to the headers. */
  private ClientInterceptor recording(String name) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        events.add("newCall " + name);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            events.add("start " + name);
            headers.put(SEEN_BY, name);
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onMessage(RespT message) {
                events.add("onMessage " + name);
                super.onMessage(message);
              }
            }, headers);
          }
        };
      }
    };
  }

  @Test
  void firstInterceptorGivenSeesTheCallFirst() {
    Channel intercepted = ClientInterceptors.intercept(channel, recording("a"), recording("b"));
    ClientCallsTest.RecordingObserver responses = new ClientCallsTest.RecordingObserver();

    ClientCalls.unaryCall(intercepted, FakeChannel.method(MethodType.UNARY), CallOptions.DEFAULT, "x", responses);
    FakeChannel.Call call = channel.lastCall();
    call.respond("y");
    call.close(Status.OK, new Metadata());

    assertThat(events).containsExactly(
        "newCall a", "newCall b", "start a", "start b", "onMessage b", "onMessage a");
    assertThat(call.headers.getAll(SEEN_BY)).containsExactly("a", "b");
    assertThat(call.sent).containsExactly("x");
    assertThat(responses.values).containsExactly("y");
    assertThat(responses.completed).isTrue();
    assertThat(intercepted.authority()).isEqualTo("fake");
  }

  @Test
  void interceptedCallShowsTheAttributesOfTheChannelsCall() {
    Channel intercepted = ClientInterceptors.intercept(channel, recording("a"), recording("b"));
    ClientCall<String, String> call = intercepted.newCall(FakeChannel.method(MethodType.UNARY), CallOptions.DEFAULT);
    assertThat(call.attributes()).isEqualTo(Attributes.EMPTY);

    InetSocketAddress server = new InetSocketAddress("127.0.0.1", 4242);
    channel.lastCall().attributes = Attributes.newBuilder().set(ClientCall.REMOTE_ADDRESS, server).build();

    assertThat(call.attributes().get(ClientCall.REMOTE_ADDRESS)).contains(server);
  }

  @Test
  void callThatKnowsNoConnectionHasEmptyAttributes() {
    ClientCall<String, String> bare = new ClientCall<>() {
      @Override
      public void start(Listener<String> listener, Metadata headers) {}

      @Override
      public void request(int numMessages) {}

      @Override
      public void cancel(String message, Throwable cause) {}

      @Override
      public void halfClose() {}

      @Override
      public void sendMessage(String message) {}
    };
    assertThat(bare.attributes()).isSameAs(Attributes.EMPTY);
  }

  @Test
  void noInterceptorsLeavesTheChannelAsItIs() {
    assertThat(ClientInterceptors.intercept(channel)).isSameAs(channel);
  }
}
