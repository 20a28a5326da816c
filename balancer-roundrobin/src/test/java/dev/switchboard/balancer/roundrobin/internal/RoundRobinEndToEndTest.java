package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.ManualResolver;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real channel with round_robin over three test backends on loopback. */
class RoundRobinEndToEndTest {

  private static final CallOptions WAIT_FOR_READY =
      CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(Duration.ofSeconds(10));

  private final List<TestBackend> backends = new ArrayList<>();
  private final ManualResolver resolver = ManualResolver.create();
  private ManagedChannel channel;

  @AfterEach
  void stopEverything() {
    if (channel != null) {
      channel.close();
    }
    backends.forEach(TestBackend::close);
  }

  private ChannelBuilder channelOverThreeBackends() {
    List<Address> addresses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestBackend backend = TestBackend.newBuilder().name("b" + i).build().start();
      backends.add(backend);
      addresses.add(Address.of(backend.address()));
    }
    resolver.setInitialState(ResolverState.newBuilder().addresses(addresses).build());
    return ChannelBuilder.forTarget(resolver.target())
        .resolverProvider(resolver.provider())
        .balancerProvider(new RoundRobinBalancerProvider())
        .usePlaintext();
  }

  private String call() {
    return ClientCalls.blockingUnaryCall(
        channel, TestMethods.ECHO, WAIT_FOR_READY, TestMethods.EchoRequest.of("hi")).backend();
  }

  private Map<String, Integer> spread(int calls) {
    Map<String, Integer> spread = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      spread.merge(call(), 1, Integer::sum);
    }
    return spread;
  }

  private void awaitAllReady() {
    // The first calls may find only some subconns READY; wait until a turn reaches all three.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (spread(3).size() < 3) {
      assertThat(System.nanoTime()).as("all three backends serving calls").isLessThan(deadline);
    }
  }

  @Test
  void serviceConfigChoosesRoundRobinAndCallsAvoidAStoppedBackendUntilItReturns() {
    channel = channelOverThreeBackends()
        .defaultServiceConfig("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}")
        .build();
    awaitAllReady();

    assertThat(spread(300)).containsOnlyKeys("b0", "b1", "b2").containsValues(100, 100, 100);

    TestBackend stopped = backends.get(0);
    stopped.stop();
    long servedWhenStopped = stopped.callsServed();
    Map<String, Integer> withoutB0 = spread(100); // wait-for-ready: none of these may fail
    assertThat(withoutB0).containsOnlyKeys("b1", "b2");
    assertThat(stopped.callsServed()).isEqualTo(servedWhenStopped);

    stopped.start(); // on the same port
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!call().equals("b0")) {
      assertThat(System.nanoTime()).as("the restarted backend gets calls again").isLessThan(deadline);
    }
  }

  @Test
  void builderDefaultPolicyChoosesRoundRobin() {
    channel = channelOverThreeBackends().defaultLoadBalancingPolicy("round_robin").build();
    awaitAllReady();

    assertThat(spread(300)).containsOnlyKeys("b0", "b1", "b2").containsValues(100, 100, 100);
  }
}
