package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import io.grpc.LoadBalancer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The cost of one pick on the READY picker of {@code round_robin} and {@code pick_first}, as the
 * channel calls it on the caller's thread for every call, and of grpc-java 1.85's
 * {@code round_robin} picker for comparison, on 1 and 2 threads.
 *
 * <p>{@code subConns} addresses are resolved and every subconn the balancer connects is delivered
 * READY. {@code round_robin} creates one subconn per address; {@code pick_first} creates a single
 * subconn holding all the addresses, so for it the parameter is the size of that address list.
 * The picker is shared by all benchmark threads, as one channel's picker is shared by its callers.
 *
 * <p>{@code grpc-java:round_robin} is grpc-java's own balancer (its {@code LoadBalancerRegistry}'s
 * {@code round_robin}: one pick_first child per address, a picker over the children's pickers and
 * one shared {@code AtomicInteger}), given the same addresses through a fake {@code Helper} whose
 * subchannels are told READY (see {@link GrpcJavaBalancers}); a pick passes one prebuilt
 * {@code PickSubchannelArgs}, as ours passes one prebuilt {@link PickInfo}. Both go through the
 * same benchmark method: the branch between them is taken the same way on every call.
 *
 * <p>Our {@code round_robin} counts on a striped counter; a thread starts on the stripe of its id
 * and moves on contention. {@link #pickTwoThreads} runs on JMH's usual workers, whose consecutive
 * ids start them on different stripes; {@link #pickTwoThreadsSameStripe} runs on workers made by
 * {@link SameStripeExecutor}, whose ids all map to one stripe, so both threads start on one counter:
 * the worst case for the claim that a second caller does not slow a pick down. For the other
 * pickers it is just another 2-thread run.
 *
 * <p>Only 1 and 2 threads: the benchmark machine has 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// grpc-java's pick reached its steady state only after about 2 s of warm-up here (ours within the
// first 500 ms): 4 × 500 ms. Short measurements keep 18 benchmarks × 3 forks near 4.5 minutes.
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(3)
public class PickerBenchmark {
  /** The prefix of {@link #policy} values that select grpc-java's balancer of that name. */
  static final String GRPC_JAVA = "grpc-java:";

  /** The residue (modulo 16) of the same-stripe workers' thread ids, once one has reported. */
  private static final AtomicInteger SAME_STRIPE_RESIDUE = new AtomicInteger(-1);

  @Param({"round_robin", "grpc-java:round_robin", "pick_first"})
  public String policy;

  @Param({"10", "1000"})
  public int subConns;

  private FakeBalancerClientConn conn;
  private Balancers.Running<?> balancer;
  private Picker picker;
  private PickInfo info;
  private boolean grpcJava;
  private LoadBalancer.SubchannelPicker grpcJavaPicker;
  private LoadBalancer.PickSubchannelArgs grpcJavaArgs;

  @Setup(Level.Trial)
  public void setUp() {
    if (policy.startsWith(GRPC_JAVA)) {
      grpcJava = true;
      grpcJavaPicker = GrpcJavaBalancers.readyPicker(policy.substring(GRPC_JAVA.length()), subConns);
      grpcJavaArgs = GrpcJavaBalancers.PICK_ARGS;
      int expected = policy.endsWith("round_robin") ? subConns : 1;
      int spread = GrpcJavaBalancers.spread(grpcJavaPicker, subConns);
      if (spread != expected) {
        throw new IllegalStateException(policy + " spread " + subConns + " picks over " + spread
            + " subchannels (expected: " + expected + ")");
      }
      return;
    }
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
    if (balancer != null) {
      balancer.close(conn);
      conn.assertNoViolations();
    }
  }

  private Object pick() {
    return grpcJava ? grpcJavaPicker.pickSubchannel(grpcJavaArgs) : picker.pick(info);
  }

  @Benchmark
  @Threads(1)
  public Object pickOneThread() {
    return pick();
  }

  @Benchmark
  @Threads(2)
  public Object pickTwoThreads() {
    return pick();
  }

  @Benchmark
  @Threads(2)
  @Fork(value = 3, jvmArgsAppend = {
      "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.switchboard.benchmarks.SameStripeExecutor"})
  public Object pickTwoThreadsSameStripe(SameStripeWorker worker) {
    return pick();
  }

  /**
   * Checks, on each worker thread of {@link #pickTwoThreadsSameStripe} before each iteration, that
   * its id maps to the same stripe as every other worker's: that {@link SameStripeExecutor} made
   * it.
   */
  @State(Scope.Thread)
  public static class SameStripeWorker {
    @Setup(Level.Iteration)
    public void checkStripe() {
      int residue = SameStripeExecutor.residue(Thread.currentThread());
      SAME_STRIPE_RESIDUE.compareAndSet(-1, residue);
      if (SAME_STRIPE_RESIDUE.get() != residue) {
        throw new IllegalStateException("worker " + Thread.currentThread().getName()
            + " has thread id residue " + residue + " mod " + SameStripeExecutor.MODULUS + ", another had "
            + SAME_STRIPE_RESIDUE.get() + ": run forked, with the method's @Fork flags (jmh.executor=CUSTOM)");
      }
    }
  }
}
