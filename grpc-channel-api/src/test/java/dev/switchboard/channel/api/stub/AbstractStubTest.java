package dev.switchboard.channel.api.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stub bases, through stubs written the way protoc-gen-switchboard generates them, on the fake
 * channel: every {@code with*} reaches the call's options, leaves the original stub alone, and each
 * stub kind makes its calls through the matching {@link ClientCalls} style.
 */
class AbstractStubTest {

  private static final MethodDescriptor<String, String> UNARY = FakeChannel.method(MethodType.UNARY);
  private static final MethodDescriptor<String, String> SERVER_STREAMING =
      FakeChannel.method(MethodType.SERVER_STREAMING);
  private static final MethodDescriptor<String, String> CLIENT_STREAMING =
      FakeChannel.method(MethodType.CLIENT_STREAMING);
  private static final MethodDescriptor<String, String> BIDI = FakeChannel.method(MethodType.BIDI_STREAMING);
  private static final CallOptions.Key<String> TENANT = CallOptions.Key.create("tenant");

  private final FakeChannel channel = new FakeChannel();

  /** As generated for a service with one RPC of each kind. */
  static final class EchoBlockingStub extends AbstractBlockingStub<EchoBlockingStub> {
    private EchoBlockingStub(Channel channel, CallOptions callOptions) {
      super(channel, callOptions);
    }

    @Override
    protected EchoBlockingStub build(Channel channel, CallOptions callOptions) {
      return new EchoBlockingStub(channel, callOptions);
    }

    String unary(String request) {
      return ClientCalls.blockingUnaryCall(channel(), UNARY, callOptions(), request);
    }

    Iterator<String> serverStreaming(String request) {
      return ClientCalls.blockingServerStreamingCall(channel(), SERVER_STREAMING, callOptions(), request);
    }
  }

  static final class EchoFutureStub extends AbstractFutureStub<EchoFutureStub> {
    private EchoFutureStub(Channel channel, CallOptions callOptions) {
      super(channel, callOptions);
    }

    @Override
    protected EchoFutureStub build(Channel channel, CallOptions callOptions) {
      return new EchoFutureStub(channel, callOptions);
    }

    CompletableFuture<String> unary(String request) {
      return ClientCalls.futureUnaryCall(channel(), UNARY, callOptions(), request);
    }
  }

  static final class EchoStub extends AbstractAsyncStub<EchoStub> {
    private EchoStub(Channel channel, CallOptions callOptions) {
      super(channel, callOptions);
    }

    @Override
    protected EchoStub build(Channel channel, CallOptions callOptions) {
      return new EchoStub(channel, callOptions);
    }

    void unary(String request, StreamObserver<String> responses) {
      ClientCalls.unaryCall(channel(), UNARY, callOptions(), request, responses);
    }

    ClientCallStreamObserver<String> clientStreaming(StreamObserver<String> responses) {
      return ClientCalls.clientStreamingCall(channel(), CLIENT_STREAMING, callOptions(), responses);
    }

    ClientCallStreamObserver<String> bidi(StreamObserver<String> responses) {
      return ClientCalls.bidiStreamingCall(channel(), BIDI, callOptions(), responses);
    }
  }

  private EchoBlockingStub blockingStub() {
    return AbstractBlockingStub.newStub(EchoBlockingStub::new, channel);
  }

  @Test
  void newStubStartsWithTheDefaultOptionsOrTheGivenOnes() {
    CallOptions given = CallOptions.DEFAULT.withCompression("gzip");

    assertThat(blockingStub().callOptions()).isSameAs(CallOptions.DEFAULT);
    assertThat(blockingStub().channel()).isSameAs(channel);
    assertThat(AbstractFutureStub.newStub(EchoFutureStub::new, channel, given).callOptions()).isSameAs(given);
    assertThat(AbstractAsyncStub.newStub(EchoStub::new, channel, given).callOptions()).isSameAs(given);
  }

  @Test
  void newStubRejectsNullsNamingThem() {
    assertThatThrownBy(() -> AbstractBlockingStub.newStub(EchoBlockingStub::new, null))
        .isInstanceOf(NullPointerException.class).hasMessage("channel");
    assertThatThrownBy(() -> AbstractStub.newStub(null, channel))
        .isInstanceOf(NullPointerException.class).hasMessage("factory");
    assertThatThrownBy(() -> AbstractStub.newStub(EchoBlockingStub::new, channel, null))
        .isInstanceOf(NullPointerException.class).hasMessage("callOptions");
    assertThatThrownBy(() -> blockingStub().withDeadline(null))
        .isInstanceOf(NullPointerException.class).hasMessage("deadline");
    assertThatThrownBy(() -> blockingStub().withCallOptions(null))
        .isInstanceOf(NullPointerException.class).hasMessage("callOptions");
    assertThatThrownBy(() -> blockingStub().withDeadlineAfter(1, null))
        .isInstanceOf(NullPointerException.class).hasMessage("unit");
    assertThatThrownBy(() -> blockingStub().withMaxInboundMessageSize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  @Test
  void withMethodsReturnANewStubAndLeaveTheOriginalAlone() {
    EchoBlockingStub original = blockingStub();
    Executor executor = Runnable::run;

    EchoBlockingStub configured = original
        .withDeadlineAfter(Duration.ofSeconds(30))
        .withWaitForReady()
        .withCompression("gzip")
        .withMaxInboundMessageSize(1024)
        .withMaxOutboundMessageSize(2048)
        .withExecutor(executor)
        .withOption(TENANT, "blue");

    assertThat(configured).isNotSameAs(original).isInstanceOf(EchoBlockingStub.class);
    assertThat(original.callOptions()).isSameAs(CallOptions.DEFAULT);
    CallOptions options = configured.callOptions();
    assertThat(options.deadline()).get()
        .satisfies(d -> assertThat(d.timeRemaining(TimeUnit.SECONDS)).isBetween(25L, 30L));
    assertThat(options.isWaitForReady()).isTrue();
    assertThat(options.compression()).contains("gzip");
    assertThat(options.maxInboundMessageSize()).hasValue(1024);
    assertThat(options.maxOutboundMessageSize()).hasValue(2048);
    assertThat(options.executor()).contains(executor);
    assertThat(options.option(TENANT)).contains("blue");
    assertThat(configured.channel()).isSameAs(channel);
  }

  @Test
  void deadlineVariantsSetAndClearTheDeadline() {
    Deadline deadline = Deadline.after(Duration.ofMinutes(5));

    assertThat(blockingStub().withDeadline(deadline).callOptions().deadline()).contains(deadline);
    assertThat(blockingStub().withDeadlineAfter(90, TimeUnit.SECONDS).callOptions().deadline()).get()
        .satisfies(d -> assertThat(d.timeRemaining(TimeUnit.SECONDS)).isBetween(85L, 90L));
    assertThat(blockingStub().withDeadline(deadline).withoutDeadline().callOptions().deadline()).isEmpty();
  }

  @Test
  void withCallOptionsReplacesAllOptions() {
    CallOptions replacement = CallOptions.DEFAULT.withAuthority("other.example");

    EchoBlockingStub stub = blockingStub().withWaitForReady().withCallOptions(replacement);

    assertThat(stub.callOptions()).isSameAs(replacement);
    assertThat(stub.callOptions().isWaitForReady()).isFalse();
  }

  @Test
  void stubOptionsReachTheCall() {
    channel.onNewCall = call -> call.onHalfClose = () -> {
      call.respond("pong");
      call.close(Status.OK, new Metadata());
    };

    String response = blockingStub().withWaitForReady().withOption(TENANT, "green").unary("ping");

    assertThat(response).isEqualTo("pong");
    FakeChannel.Call call = channel.lastCall();
    assertThat(call.sent).containsExactly("ping");
    assertThat(call.options.isWaitForReady()).isTrue();
    assertThat(call.options.option(TENANT)).contains("green");
  }

  @Test
  void interceptorsSeeCallsInTheOrderGivenAndLaterOnesFirst() {
    List<String> seen = new ArrayList<>();
    channel.onNewCall = call -> call.onHalfClose = () -> {
      call.respond("pong");
      call.close(Status.OK, new Metadata());
    };

    EchoBlockingStub stub = blockingStub()
        .withInterceptors(recording("a", seen), recording("b", seen))
        .withInterceptors(recording("outer", seen));
    stub.unary("ping");

    assertThat(seen).containsExactly("outer", "a", "b");
    assertThat(stub.channel()).isNotSameAs(channel);
    assertThat(stub.channel().authority()).isEqualTo("fake");
  }

  @Test
  void interceptorsCanChangeTheCallOptions() {
    ClientInterceptor addsDeadline = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        return next.newCall(method, callOptions.withDeadlineAfter(Duration.ofSeconds(7)));
      }
    };

    AbstractFutureStub.newStub(EchoFutureStub::new, channel).withInterceptors(addsDeadline).unary("x");

    assertThat(channel.lastCall().options.deadline()).isPresent();
  }

  @Test
  void blockingStubIteratesAServerStreamAndThrowsItsFailure() {
    channel.onNewCall = call -> call.onHalfClose = () -> {
      call.respond("one");
      call.respond("two");
      call.close(Status.DATA_LOSS.withDescription("cut"), new Metadata());
    };

    Iterator<String> responses = blockingStub().serverStreaming("go");

    assertThat(responses.next()).isEqualTo("one");
    assertThat(responses.next()).isEqualTo("two");
    assertThatThrownBy(responses::hasNext).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.status().code()).isEqualTo(Status.Code.DATA_LOSS));
  }

  @Test
  void cancellingTheFutureStubsFutureCancelsTheCall() {
    CompletableFuture<String> response = AbstractFutureStub.newStub(EchoFutureStub::new, channel)
        .withDeadlineAfter(Duration.ofMinutes(1))
        .unary("x");

    assertThat(response.cancel(false)).isTrue();

    FakeChannel.Call call = channel.lastCall();
    assertThat(call.cancelled).isTrue();
    assertThat(call.options.deadline()).isPresent();
  }

  @Test
  void asyncStubStreamsBothWaysThroughObservers() {
    ClientCallsTest.RecordingObserver responses = new ClientCallsTest.RecordingObserver();
    EchoStub stub = AbstractAsyncStub.newStub(EchoStub::new, channel);

    ClientCallStreamObserver<String> requests = stub.bidi(responses);
    requests.onNext("a");
    requests.onNext("b");
    FakeChannel.Call call = channel.lastCall();
    call.respond("A");
    requests.onCompleted();
    call.close(Status.OK, new Metadata());

    assertThat(call.sent).containsExactly("a", "b");
    assertThat(call.halfClosed).isTrue();
    assertThat(responses.values).containsExactly("A");
    assertThat(responses.completed).isTrue();
  }

  @Test
  void asyncStubClientStreamingDeliversTheOneResponseOrTheFailure() {
    ClientCallsTest.RecordingObserver ok = new ClientCallsTest.RecordingObserver();
    ClientCallStreamObserver<String> requests =
        AbstractAsyncStub.newStub(EchoStub::new, channel).clientStreaming(ok);
    requests.onNext("x");
    requests.onCompleted();
    channel.lastCall().respond("sum");
    channel.lastCall().close(Status.OK, new Metadata());

    ClientCallsTest.RecordingObserver failed = new ClientCallsTest.RecordingObserver();
    AbstractAsyncStub.newStub(EchoStub::new, channel).unary("y", failed);
    channel.lastCall().close(Status.UNAVAILABLE, new Metadata());

    assertThat(ok.values).containsExactly("sum");
    assertThat(ok.completed).isTrue();
    assertThat(failed.error).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(failed.values).isEmpty();
  }

  private static ClientInterceptor recording(String name, List<String> seen) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        seen.add(name);
        return next.newCall(method, callOptions);
      }
    };
  }
}
