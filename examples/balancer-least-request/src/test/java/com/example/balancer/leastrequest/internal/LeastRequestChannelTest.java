package com.example.balancer.leastrequest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.ManualResolver;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Through a real channel to three test backends: calls with different delays in flight at once,
 * spread by least_request; when they have all ended, every backend's count is back to zero.
 */
class LeastRequestChannelTest {

  /** The real provider, keeping the balancer it makes so the test can read its counts. */
  private static final class Keeping implements BalancerProvider<LeastRequestConfig> {
    final LeastRequestBalancerProvider real = new LeastRequestBalancerProvider();
    final CompletableFuture<LeastRequestBalancer> made = new CompletableFuture<>();
    volatile ClientConn conn;

    @Override
    public String policyName() {
      return real.policyName();
    }

    @Override
    public ConfigOrError<LeastRequestConfig> parseConfig(Map<String, ?> raw, BalancerRegistry registry) {
      return real.parseConfig(raw, registry);
    }

    @Override
    public Balancer<LeastRequestConfig> newBalancer(ClientConn clientConn, BalancerArgs args) {
      LeastRequestBalancer balancer = (LeastRequestBalancer) real.newBalancer(clientConn, args);
      conn = clientConn;
      made.complete(balancer);
      return balancer;
    }
  }

  @Test
  void callsSpreadOverEveryBackendAndTheCountsComeBackToZero() throws Exception {
    List<TestBackend> backends = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(6);
    Keeping policy = new Keeping();
    ManagedChannel channel = null;
    try {
      List<Address> addresses = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        TestBackend backend = TestBackend.newBuilder().name("b" + i).build().start();
        backends.add(backend);
        addresses.add(Address.of(backend.address()));
      }
      ManualResolver resolver = ManualResolver.create();
      resolver.setInitialState(ResolverState.newBuilder().addresses(addresses).build());
      channel = ChannelBuilder.forTarget(resolver.target())
          .resolverProvider(resolver.provider())
          .balancerProvider(policy)
          .defaultServiceConfig("{\"loadBalancingConfig\":[{\"least_request\":{\"choiceCount\":3}}]}")
          .usePlaintext()
          .build();
      ManagedChannel c = channel;
      List<Future<String>> calls = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        int delay = (i % 4) * 20;
        calls.add(callers.submit(() -> ClientCalls.blockingUnaryCall(c, TestMethods.ECHO,
            CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(Duration.ofSeconds(20)),
            TestMethods.EchoRequest.of("m").withResponseDelayMs(delay)).backend()));
      }
      List<String> servedBy = new ArrayList<>();
      for (Future<String> call : calls) {
        servedBy.add(call.get(30, TimeUnit.SECONDS));
      }
      assertThat(servedBy).contains("b1", "b2", "b3");
      // Each pick's onDone came before its call ended: the counts are back to zero. Read them on
      // the channel's synchronization context, where the balancer lives.
      LeastRequestBalancer balancer = policy.made.get(10, TimeUnit.SECONDS);
      CompletableFuture<Map<Endpoint, Integer>> counts = new CompletableFuture<>();
      policy.conn.synchronizationContext().execute(() -> counts.complete(balancer.inFlight()));
      assertThat(counts.get(10, TimeUnit.SECONDS)).hasSize(3)
          .allSatisfy((endpoint, count) -> assertThat(count).as("in flight at %s", endpoint).isZero());
    } finally {
      callers.shutdownNow();
      if (channel != null) {
        channel.shutdownNow();
      }
      backends.forEach(TestBackend::close);
    }
  }
}
