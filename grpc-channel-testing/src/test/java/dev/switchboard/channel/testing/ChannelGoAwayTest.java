package dev.switchboard.channel.testing;

import static dev.switchboard.channel.testing.Channels.awaitTrue;
import static dev.switchboard.channel.testing.Channels.closeAndAwait;
import static dev.switchboard.channel.testing.Channels.tenSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend that shuts down gracefully (GOAWAY) while our channel has calls on it: the calls in
 * flight finish, and new calls go elsewhere or wait for the backend to come back.
 */
class ChannelGoAwayTest {

  private final TestBackend b1 = TestBackend.newBuilder().name("b1").build().start();
  private final TestBackend b2 = TestBackend.newBuilder().name("b2").build().start();
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (channel != null) {
      closeAndAwait(channel);
    }
    b1.close();
    b2.close();
  }

  private ManagedChannel roundRobinOverBoth() {
    ManualResolver resolver = ManualResolver.create();
    resolver.setInitialState(ResolverState.newBuilder()
        .addresses(List.of(Address.of(b1.address()), Address.of(b2.address())))
        .build());
    return ChannelBuilder.forTarget(resolver.target())
        .resolverProvider(resolver.provider())
        .balancerProvider(new TestRoundRobinProvider(TestRoundRobinProvider.Flaw.NONE))
        .defaultLoadBalancingPolicy("test_round_robin")
        .usePlaintext()
        .build();
  }

  private List<CompletableFuture<EchoResponse>> echoes(int count, CallOptions options, int delayMs) {
    List<CompletableFuture<EchoResponse>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(ClientCalls.futureUnaryCall(channel, TestMethods.ECHO, options,
          EchoRequest.of("m" + i).withResponseDelayMs(delayMs)));
    }
    return calls;
  }

  private static List<EchoResponse> all(List<CompletableFuture<EchoResponse>> calls) throws Exception {
    List<EchoResponse> responses = new ArrayList<>();
    for (CompletableFuture<EchoResponse> call : calls) {
      responses.add(call.get(15, TimeUnit.SECONDS));
    }
    return responses;
  }

  @Test
  void callsInFlightFinishAndNewCallsGoToTheOtherBackend() throws Exception {
    channel = roundRobinOverBoth();
    // Both subconns READY before the first call, so that calls spread over both.
    channel.state(true);
    awaitTrue("both backends serve", () -> {
      try {
        all(echoes(4, tenSeconds(), 0));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return b1.callsServed() > 0 && b2.callsServed() > 0;
    });
    long servedByB1 = b1.callsServed();
    long servedByB2 = b2.callsServed();

    List<CompletableFuture<EchoResponse>> inFlight = echoes(6, tenSeconds(), 500);
    // All six must have arrived before b1 goes away, or a late one would count as "not in flight".
    awaitTrue("the delayed calls reached both backends",
        () -> b1.callsServed() - servedByB1 >= 1
            && (b1.callsServed() - servedByB1) + (b2.callsServed() - servedByB2) == 6);
    long inFlightOnB1 = b1.callsServed() - servedByB1;

    CompletableFuture<Void> b1Gone = b1.shutdownGracefully();
    // Made while b1's GOAWAY is on its way: none may fail.
    List<CompletableFuture<EchoResponse>> failFast = echoes(10, tenSeconds(), 0);
    List<CompletableFuture<EchoResponse>> waitForReady = echoes(10, tenSeconds().withWaitForReady(), 0);

    List<EchoResponse> finished = all(inFlight);
    assertThat(finished).extracting(EchoResponse::backend).filteredOn("b1"::equals)
        .hasSize((int) inFlightOnB1);
    assertThat(all(failFast)).hasSize(10);
    assertThat(all(waitForReady)).hasSize(10);
    b1Gone.get(15, TimeUnit.SECONDS);

    // Once b1's connection is gone, everything goes to b2.
    assertThat(all(echoes(10, tenSeconds(), 0))).extracting(EchoResponse::backend).containsOnly("b2");
    assertThat(channel.state(false)).isEqualTo(ConnectivityState.READY);
  }

  @Test
  void noCallFailsUnderLoadWhileABackendGoesAway() throws Exception {
    channel = roundRobinOverBoth();
    channel.state(true);
    awaitTrue("READY", () -> channel.state(false) == ConnectivityState.READY);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicInteger succeeded = new AtomicInteger();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread caller = new Thread(() -> {
        while (running.get()) {
          try {
            ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("load"));
            succeeded.incrementAndGet();
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      }, "caller-" + t);
      caller.start();
      callers.add(caller);
    }
    try {
      awaitTrue("calls flowing to b1", () -> b1.callsServed() > 50);

      b1.shutdownGracefully().get(15, TimeUnit.SECONDS);
      long afterGoAway = succeeded.get();
      awaitTrue("calls keep flowing", () -> succeeded.get() > afterGoAway + 200);
    } finally {
      running.set(false);
      for (Thread caller : callers) {
        caller.join(TimeUnit.SECONDS.toMillis(15));
      }
    }

    assertThat(callers).noneMatch(Thread::isAlive);
    assertThat(failures).isEmpty();
  }

  @Test
  void waitForReadyCallsMadeWhileTheOnlyBackendIsAwaySucceedWhenItReturns() throws Exception {
    b2.close();
    channel = Channels.to(b1).build();
    assertThat(ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("before")))
        .isEqualTo(new EchoResponse("before", "b1"));

    b1.shutdownGracefully().get(15, TimeUnit.SECONDS);
    List<CompletableFuture<EchoResponse>> waiting = echoes(5, tenSeconds().withWaitForReady(), 0);
    awaitTrue("the channel fails to reconnect",
        () -> channel.state(false) == ConnectivityState.TRANSIENT_FAILURE);
    assertThat(waiting).noneMatch(CompletableFuture::isDone);

    b1.start();
    channel.resetConnectBackoff();

    assertThat(all(waiting)).extracting(EchoResponse::backend).containsOnly("b1");
  }
}
