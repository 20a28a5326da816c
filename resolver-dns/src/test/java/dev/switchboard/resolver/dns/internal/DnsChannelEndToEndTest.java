package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.Dnsmasq;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import dev.switchboard.resolver.dns.DnsResolverOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A real channel resolves {@code dns://127.0.0.1:PORT/echo.test:PORT2} through dnsmasq and spreads
 * calls with round_robin over test backends on 127.0.0.2, .3 and .4 (one port: DNS gives addresses,
 * the target gives the port). The round_robin module is found on the class path by the channel's
 * plugin registry, as an application would find it.
 */
class DnsChannelEndToEndTest {
  private static final String[] IPS = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};

  @Test
  void roundRobinChosenByTheDnsTxtServiceConfigSpreadsCallsOverEveryAddress() throws Exception {
    spreadsCallsEvenly(dns -> dns.txt("_grpc_config.echo.test",
        "grpc_config=[{\"serviceConfig\":{\"loadBalancingConfig\":[{\"round_robin\":{}}]}}]"),
        builder -> builder);
  }

  @Test
  void roundRobinAsTheBuilderDefaultSpreadsCallsOverEveryAddress() throws Exception {
    spreadsCallsEvenly(dns -> dns, builder -> builder.defaultLoadBalancingPolicy("round_robin"));
  }

  @Test
  void grpclbDiscoveryTurnedOnThroughTheBuilderHandsTheBalancerAddressesToTheBalancer() throws Exception {
    CompletableFuture<ClientConnState<Object>> seen = new CompletableFuture<>();
    BalancerProvider<Object> recording = new BalancerProvider<>() {
      @Override
      public String policyName() {
        return "recording";
      }

      @Override
      public ConfigOrError<Object> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
        return ConfigOrError.of(rawConfig);
      }

      @Override
      public Balancer<Object> newBalancer(ClientConn clientConn, BalancerArgs args) {
        return new Balancer<>() {
          @Override
          public Status updateClientConnState(ClientConnState<Object> state) {
            seen.complete(state);
            return Status.OK;
          }

          @Override
          public void resolverError(Status error) {
            seen.completeExceptionally(error.asException());
          }

          @Override
          public void close() {}
        };
      }
    };
    try (Dnsmasq dns = Dnsmasq.create()
        .host("echo.test", "127.0.0.11")
        .host("lb1.echo.test", "127.0.0.21")
        .srv("_grpclb._tcp.echo.test", "lb1.echo.test", 9001)
        .start()) {
      ManagedChannel channel = ChannelBuilder.forTarget(dns.target("echo.test:50051"))
          .resolverOption(DnsResolverOptions.ENABLE_GRPCLB, true)
          .balancerProvider(recording)
          .defaultLoadBalancingPolicy("recording")
          .usePlaintext()
          .build();
      try {
        channel.state(true);
        ClientConnState<Object> state = seen.get(10, TimeUnit.SECONDS);
        assertThat(state.attributes().get(ResolverState.GRPCLB_BALANCER_ADDRESSES)).hasValueSatisfying(
            balancers -> assertThat(balancers).singleElement().satisfies(a -> {
              assertThat(a.socketAddress()).isEqualTo(new InetSocketAddress("127.0.0.21", 9001));
              assertThat(a.attributes().get(Address.AUTHORITY_OVERRIDE)).contains("lb1.echo.test");
            }));
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static TestMethods.EchoResponse echo(ManagedChannel channel, String message) {
    return ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO,
        CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(Duration.ofSeconds(10)),
        TestMethods.EchoRequest.of(message));
  }

  private static void spreadsCallsEvenly(
      UnaryOperator<Dnsmasq> dnsSetup, UnaryOperator<ChannelBuilder> channelSetup) throws Exception {
    List<TestBackend> backends = new ArrayList<>();
    try (Dnsmasq dns = dnsSetup.apply(Dnsmasq.create().host("echo.test", IPS)).start()) {
      int port = 0;
      for (String ip : IPS) {
        TestBackend backend = TestBackend.newBuilder().name(ip)
            .address(new InetSocketAddress(ip, port)).build().start();
        port = backend.port();
        backends.add(backend);
      }
      ManagedChannel channel = channelSetup.apply(
          ChannelBuilder.forTarget(dns.target("echo.test:" + port)).usePlaintext()).build();
      try {
        // Until every subconn is READY the picker rotates over fewer backends: warm up first.
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < IPS.length && System.nanoTime() < deadline) {
          seen.add(echo(channel, "warm-up").backend());
        }
        assertThat(seen).containsExactlyInAnyOrder(IPS);

        Map<String, Integer> spread = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
          TestMethods.EchoResponse response = echo(channel, "hello " + i);
          assertThat(response.message()).isEqualTo("hello " + i);
          spread.merge(response.backend(), 1, Integer::sum);
        }
        assertThat(spread).isEqualTo(Map.of(IPS[0], 10, IPS[1], 10, IPS[2], 10));
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
      }
    } finally {
      for (TestBackend backend : backends) {
        backend.close();
      }
    }
  }
}
