package dev.switchboard.balancer.grpclb.internal;

import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.backend;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.drop;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.fallback;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.initial;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.serverList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.ManualResolver;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.grpclb.GrpclbConstants;
import io.grpc.netty.NettyChannelBuilder;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same scripted balancer, run once against grpc-java's own grpclb client (io.grpc:grpc-grpclb's
 * policy on a grpc-java {@code ManagedChannel}) and once against ours, over the same grpc-java
 * backends: the calls per backend, the tokens they carried, the drops, and the client stats the
 * balancer received must be the same.
 *
 * <p>The script: a list of three backends and two drop entries (60 calls), an update to one
 * backend with a new token and a drop (20 calls), {@code fallback_response} (10 calls to the
 * resolver's backend), and a list again (10 calls). Calls are wait-for-ready and one at a time;
 * before each measured phase every listed backend has served a call, and a load report has gone out,
 * so the phase's own calls are the only ones in the reports that follow.
 */
class GrpclbDifferentialTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final Duration REPORT_INTERVAL = Duration.ofMillis(200);

  private final List<GrpcBackend> backends = new ArrayList<>();

  @AfterEach
  void stopBackends() {
    backends.forEach(GrpcBackend::close);
  }

  /** What one client did: per phase, the outcomes and the tokens each backend saw, and the stats. */
  private record Observed(Map<String, Object> phases) {}

  /** A client under test: makes one wait-for-ready call, returns the backend's name or "dropped". */
  private interface Client extends AutoCloseable {
    String call();

    @Override
    void close();
  }

  @Test
  void ourClientAndGrpcJavasSeeTheSameSpreadTokensDropsAndReportTheSameStats() throws Exception {
    for (int i = 0; i < 4; i++) {
      backends.add(GrpcBackend.start("b" + i));
    }
    Observed grpcJava = run(this::grpcJavaClient);
    Observed ours = run(this::ourClient);

    assertThat(ours.phases()).isEqualTo(grpcJava.phases());
    // And what both saw is what the script asked for.
    @SuppressWarnings("unchecked")
    Map<String, Integer> first = (Map<String, Integer>) grpcJava.phases().get("list 1 spread");
    assertThat(first).containsOnly(Map.entry("b0", 12), Map.entry("b1", 12), Map.entry("b2", 12),
        Map.entry("dropped", 24));
  }

  private Observed run(java.util.function.Function<FakeBalancer, Client> clientFactory) throws Exception {
    Map<String, Object> phases = new LinkedHashMap<>();
    try (FakeBalancer balancer = FakeBalancer.start(initial(REPORT_INTERVAL), serverList(
            backend(backends.get(0).address(), "t0"), drop("lb"), backend(backends.get(1).address(), "t1"),
            drop("rate"), backend(backends.get(2).address(), "t2")));
        Client client = clientFactory.apply(balancer)) {
      phase(phases, "list 1", balancer, client, 60, List.of(0, 1, 2));

      balancer.send(serverList(backend(backends.get(1).address(), "t1-new"), drop("lb")));
      Await.until("calls only on b1", TEN_S, () -> {
        for (int i = 0; i < 4; i++) {
          if (!List.of("b1", "dropped").contains(client.call())) {
            return false;
          }
        }
        return true;
      });
      phase(phases, "list 2", balancer, client, 20, List.of(1));

      balancer.send(fallback());
      Await.until("calls in fallback", TEN_S, () -> client.call().equals("b3"));
      phase(phases, "fallback", balancer, client, 10, List.of(3));

      balancer.send(serverList(backend(backends.get(2).address(), "t2-back")));
      Await.until("calls back on the list", TEN_S, () -> client.call().equals("b2"));
      phase(phases, "list 3", balancer, client, 10, List.of(2));
    }
    return new Observed(phases);
  }

  /** Warms up, lets a report go out, then makes {@code n} calls and records what they did. */
  private void phase(Map<String, Object> phases, String name, FakeBalancer balancer, Client client, int n,
      List<Integer> listed) throws InterruptedException {
    Await.until(name + ": every listed backend serving", TEN_S, () -> {
      backends.forEach(GrpcBackend::clear);
      for (int i = 0; i < 4 * listed.size(); i++) {
        client.call();
      }
      return listed.stream().allMatch(i -> backends.get(i).calls() > 0);
    });
    int before = balancer.stats().size();
    Await.until(name + ": a report after the warm-up", TEN_S, () -> balancer.stats().size() > before + 1);
    int start = balancer.stats().size();
    backends.forEach(GrpcBackend::clear);

    Map<String, Integer> spread = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      spread.merge(client.call(), 1, Integer::sum);
    }
    Map<String, List<List<String>>> tokens = new TreeMap<>();
    for (GrpcBackend b : backends) {
      tokens.put(b.name(), b.tokens());
    }
    long expectedStarted = name.equals("fallback") ? 0 : n;
    int afterCalls = balancer.stats().size();
    Await.until(name + ": the phase's calls reported", TEN_S, () -> balancer.stats().size() > afterCalls + 1
        && GrpclbFixture.sum(balancer.stats().subList(start, balancer.stats().size())).getOrDefault("started", 0L)
            >= expectedStarted);
    Map<String, Long> stats = GrpclbFixture.sum(balancer.stats().subList(start, balancer.stats().size()));
    phases.put(name + " spread", spread);
    phases.put(name + " tokens", tokens);
    phases.put(name + " stats", stats);
  }

  // ---- the two clients ----

  private Client ourClient(FakeBalancer balancer) {
    ManualResolver resolver = ManualResolver.create();
    resolver.setInitialState(GrpclbFixture.resolverState(balancer, List.of(backends.get(3))));
    ManagedChannel channel = ChannelBuilder.forTarget(resolver.target())
        .resolverProvider(resolver.provider())
        .defaultServiceConfig("{\"loadBalancingConfig\":[{\"grpclb\":{}}]}")
        .usePlaintext()
        .build();
    return new Client() {
      @Override
      public String call() {
        try {
          byte[] answer = ClientCalls.futureUnaryCall(channel, GrpclbFixture.CALL, CallOptions.DEFAULT.withWaitForReady(),
              new byte[0]).get(10, TimeUnit.SECONDS);
          return new String(answer, StandardCharsets.UTF_8);
        } catch (java.util.concurrent.ExecutionException e) {
          StatusException status = (StatusException) e.getCause();
          return status.status().description().orElse("").contains("dropped") ? "dropped" : status.status().toString();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }

      @Override
      public void close() {
        channel.shutdownNow();
      }
    };
  }

  @SuppressWarnings("deprecation") // nameResolverFactory: a resolver for this channel alone
  private Client grpcJavaClient(FakeBalancer balancer) {
    GrpcBackend fallback = backends.get(3);
    NameResolverProvider resolverProvider = new NameResolverProvider() {
      @Override
      public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        return new NameResolver() {
          @Override
          public String getServiceAuthority() {
            return "echo.test";
          }

          @Override
          public void start(Listener2 listener) {
            EquivalentAddressGroup lb = new EquivalentAddressGroup(balancer.address(),
                Attributes.newBuilder().set(GrpclbConstants.ATTR_LB_ADDR_AUTHORITY, GrpclbFixture.BALANCER_AUTHORITY).build());
            listener.onResult(ResolutionResult.newBuilder()
                .setAddressesOrError(io.grpc.StatusOr.fromValue(
                    List.of(new EquivalentAddressGroup((SocketAddress) fallback.address()))))
                .setAttributes(Attributes.newBuilder().set(GrpclbConstants.ATTR_LB_ADDRS, List.of(lb)).build())
                .build());
          }

          @Override
          public void shutdown() {}
        };
      }

      @Override
      public String getDefaultScheme() {
        return "scripted";
      }

      @Override
      protected boolean isAvailable() {
        return true;
      }

      @Override
      protected int priority() {
        return 5;
      }
    };
    io.grpc.ManagedChannel channel = NettyChannelBuilder.forTarget("scripted:///echo.test")
        .nameResolverFactory(resolverProvider)
        .defaultServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of("grpclb", Map.of()))))
        .usePlaintext()
        .build();
    Supplier<io.grpc.ClientCall<byte[], byte[]>> newCall =
        () -> channel.newCall(GrpcBackend.CALL, io.grpc.CallOptions.DEFAULT.withWaitForReady());
    return new Client() {
      @Override
      public String call() {
        try {
          byte[] answer = io.grpc.stub.ClientCalls.blockingUnaryCall(newCall.get(), new byte[0]);
          return new String(answer, StandardCharsets.UTF_8);
        } catch (StatusRuntimeException e) {
          return e.getStatus().getCode() == Status.Code.UNAVAILABLE
              && String.valueOf(e.getStatus().getDescription()).contains("Dropped") ? "dropped" : e.getStatus().toString();
        }
      }

      @Override
      public void close() {
        channel.shutdownNow();
      }
    };
  }
}
