package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
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
 * The cost of one {@link Picker#pick} on the READY picker of {@code round_robin} and
 * {@code pick_first}, as the channel calls it on the caller's thread for every call.
 *
 * <p>{@code subConns} addresses are resolved and every subconn the balancer creates is delivered
 * READY. {@code round_robin} creates one subconn per address; {@code pick_first} creates a single
 * subconn holding all the addresses, so for it the parameter is the size of that address list.
 * The picker is shared by all benchmark threads, as one channel's picker is shared by its callers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class PickerBenchmark {

  @Param({"round_robin", "pick_first"})
  public String policy;

  @Param({"1", "10", "1000"})
  public int subConns;

  private FakeBalancerClientConn conn;
  private Balancers.Running<?> balancer;
  private Picker picker;
  private PickInfo info;

  @Setup(Level.Trial)
  public void setUp() {
    conn = FakeBalancerClientConn.create();
    balancer = Balancers.newBalancer(policy, conn);
    balancer.update(conn, Balancers.addresses(subConns));
    Balancers.allReady(conn);
    picker = Balancers.readyPicker(conn);
    // One call's pick info, built once: the channel builds it per call, but that is the call's
    // cost, not the picker's.
    info = PickInfo.of(FakeBalancerClientConn.TEST_METHOD, CallOptions.DEFAULT, new Metadata());
    if (!(picker.pick(info) instanceof PickResult.Complete)) {
      throw new IllegalStateException(policy + " picked " + picker.pick(info) + " (expected: a subconn)");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    balancer.close(conn);
    conn.assertNoViolations();
  }

  @Benchmark
  @Threads(1)
  public PickResult pickOneThread() {
    return picker.pick(info);
  }

  @Benchmark
  @Threads(2)
  public PickResult pickTwoThreads() {
    return picker.pick(info);
  }
}
