package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.ManualResolver;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * round_robin, chosen by the service config and found through the plugin registry, over two test
 * backends, one of which shuts down gracefully (GOAWAY) with calls in flight.
 */
class RoundRobinGoAwayTest {

  private final TestBackend b1 = TestBackend.newBuilder().name("b1").build().start();
  private final TestBackend b2 = TestBackend.newBuilder().name("b2").build().start();
  private final ManualResolver resolver = ManualResolver.create();
  private final ManagedChannel channel;

  RoundRobinGoAwayTest() {
    resolver.setInitialState(ResolverState.newBuilder()
        .addresses(List.of(Address.of(b1.address()), Address.of(b2.address())))
        .build());
    channel = ChannelBuilder.forTarget(resolver.target())
        .resolverProvider(resolver.provider())
        .defaultServiceConfig("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}")
        .usePlaintext()
        .build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    channel.shutdownNow();
    assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("channel terminated").isTrue();
    b1.close();
    b2.close();
  }

  /** Fresh for each call: a deadline is a point in time. */
  private static CallOptions tenSeconds() {
    return CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10));
  }

  private List<CompletableFuture<EchoResponse>> echoes(int count, CallOptions options, int delayMs) {
    List<CompletableFuture<EchoResponse>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(ClientCalls.futureUnaryCall(channel, TestMethods.ECHO, options,
          EchoRequest.of("m" + i).withResponseDelayMs(delayMs)));
    }
    return calls;
  }

  private static List<String> backends(List<CompletableFuture<EchoResponse>> calls) throws Exception {
    List<String> names = new ArrayList<>();
    for (CompletableFuture<EchoResponse> call : calls) {
      names.add(call.get(15, TimeUnit.SECONDS).backend());
    }
    return names;
  }

  @Test
  void callsInFlightOnAGoingAwayBackendFinishAndNewCallsGoToTheOther() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (backends(echoes(2, tenSeconds().withWaitForReady(), 0)).stream().distinct().count() < 2) {
      assertThat(System.nanoTime() - deadline).as("both backends serving calls").isNegative();
    }
    long b1Before = b1.callsServed();
    long b2Before = b2.callsServed();

    // Round robin over two READY subconns: three of these six go to each backend.
    List<CompletableFuture<EchoResponse>> inFlight = echoes(6, tenSeconds(), 500);
    while (b1.callsServed() + b2.callsServed() < b1Before + b2Before + 6) {
      assertThat(System.nanoTime() - deadline).as("the delayed calls reached the backends").isNegative();
      Thread.sleep(5);
    }
    assertThat(b1.callsServed() - b1Before).isEqualTo(3);

    CompletableFuture<Void> b1Gone = b1.shutdownGracefully();
    List<CompletableFuture<EchoResponse>> failFast = echoes(10, tenSeconds(), 0);
    List<CompletableFuture<EchoResponse>> waitForReady = echoes(10, tenSeconds().withWaitForReady(), 0);

    assertThat(backends(inFlight)).containsExactlyInAnyOrder("b1", "b1", "b1", "b2", "b2", "b2");
    assertThat(backends(failFast)).hasSize(10);
    assertThat(backends(waitForReady)).hasSize(10);
    b1Gone.get(15, TimeUnit.SECONDS);

    assertThat(backends(echoes(10, tenSeconds(), 0))).containsOnly("b2");
    assertThat(channel.state(false)).isEqualTo(ConnectivityState.READY);
  }
}
