package dev.switchboard.benchmarks;

import dev.switchboard.balancer.grpclb.internal.FakeBalancer;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one grpclb pick, with tokens and drops, next to a {@code round_robin} pick over the
 * same ten backends (issue 16, item 10).
 *
 * <ul>
 *   <li>{@code round_robin}: the {@code round_robin} balancer over ten addresses.
 *   <li>{@code grpclb}: the {@code grpclb} balancer (found through the registry, as the channel
 *       finds it) whose balancer, a real grpc-java {@code LoadBalancerImplBase} on loopback
 *       ({@link FakeBalancer}), lists the same ten addresses with a token each: a pick takes the
 *       child round_robin's pick and returns the backend's prebuilt result (the load recorder as
 *       listener, the {@code lb-token} as its header).
 *   <li>{@code grpclb-drops}: the same list with two drop entries among the ten (12 turns, 2 of
 *       them drops): a drop counts one call dropped under its token (and so started and finished).
 * </ul>
 *
 * <p>Each benchmark thread picks with its own {@link PickInfo}, built once: building it is the
 * call's cost, not the picker's. The grpclb picker does not touch it: a backend's token goes as its
 * prebuilt result's headers ({@code PickResult.Complete.headers()}), which the channel adds when
 * the pick's stream starts. Every subconn
 * is delivered READY before the picker is taken; the balancer's stream stays open, idle. Run with
 * {@code -prof gc} for the allocation per pick. Only 1 and 2 threads: the machine has 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(3)
public class GrpclbPickerBenchmark {
  static final int BACKENDS = 10;
  static final Metadata.Key<String> LB_TOKEN = Metadata.Key.of("lb-token", Metadata.ASCII_STRING_MARSHALLER);

  @Param({"round_robin", "grpclb", "grpclb-drops"})
  public String policy;

  private FakeBalancerClientConn conn;
  private Balancers.Running<?> balancer;
  private FakeBalancer lb;
  private Picker picker;

  /** One benchmark thread's pick info, with headers of its own. */
  @State(Scope.Thread)
  public static class Call {
    final PickInfo info = PickInfo.of(FakeBalancerClientConn.TEST_METHOD, CallOptions.DEFAULT, new Metadata());
  }

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    conn = FakeBalancerClientConn.create();
    List<Address> addresses = Balancers.addresses(BACKENDS);
    if (policy.equals("round_robin")) {
      balancer = Balancers.newBalancer(policy, conn);
      balancer.update(conn, addresses);
    } else {
      List<io.grpc.lb.v1.Server> servers = new ArrayList<>();
      for (int i = 0; i < BACKENDS; i++) {
        servers.add(FakeBalancer.backend((InetSocketAddress) addresses.get(i).socketAddress(), "token-" + i));
        if (policy.equals("grpclb-drops") && (i == 2 || i == 7)) {
          servers.add(FakeBalancer.drop("drop-" + i));
        }
      }
      lb = FakeBalancer.start(FakeBalancer.initial(Duration.ZERO),
          FakeBalancer.serverList(servers.toArray(io.grpc.lb.v1.Server[]::new)));
      Address balancerAddress = Address.newBuilder(lb.address())
          .attributes(Attributes.newBuilder().set(Address.AUTHORITY_OVERRIDE, "lb.bench").build())
          .build();
      balancer = Balancers.newBalancer("grpclb", conn);
      balancer.update(conn, List.of(), Attributes.newBuilder()
          .set(ResolverState.GRPCLB_BALANCER_ADDRESSES, List.of(balancerAddress)).build());
      Await.until("subconns for the balancer's server list", Duration.ofSeconds(10),
          () -> conn.liveSubConns().size() == BACKENDS);
    }
    Balancers.allReady(conn);
    // The stream's thread may still be running the balancer's tasks, ours queued behind them.
    Await.until("a READY picker", Duration.ofSeconds(10), () -> conn.lastUpdate()
        .map(u -> u.state() == dev.switchboard.channel.api.ConnectivityState.READY).orElse(false));
    picker = Balancers.readyPicker(conn);
    check();
  }

  /** Checks one round of the list: a subconn per backend turn, with its token; drops in turn. */
  private void check() {
    int turns = policy.equals("grpclb-drops") ? BACKENDS + 2 : BACKENDS;
    int drops = 0;
    for (int i = 0; i < turns; i++) {
      Metadata headers = new Metadata();
      PickResult result = picker.pick(PickInfo.of(FakeBalancerClientConn.TEST_METHOD, CallOptions.DEFAULT, headers));
      if (result instanceof PickResult.Drop) {
        drops++;
      } else if (!(result instanceof PickResult.Complete)) {
        throw new IllegalStateException(policy + " picked " + result + " (expected: a subconn or a drop)");
      } else if (!policy.equals("round_robin")
          && ((PickResult.Complete) result).headers().map(h -> h.getAll(LB_TOKEN).size()).orElse(0) != 1) {
        throw new IllegalStateException(policy + " picked " + result + " without one lb-token");
      }
    }
    int expected = policy.equals("grpclb-drops") ? 2 : 0;
    if (drops != expected) {
      throw new IllegalStateException(policy + " dropped " + drops + " of " + turns + " (expected: " + expected + ")");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    balancer.close(conn);
    if (lb != null) {
      lb.close();
    }
    conn.assertNoViolations();
  }

  @Benchmark
  @Threads(1)
  public Object pickOneThread(Call call) {
    return picker.pick(call.info);
  }

  @Benchmark
  @Threads(2)
  public Object pickTwoThreads(Call call) {
    return picker.pick(call.info);
  }
}
