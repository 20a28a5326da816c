package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time from a resolver update of {@code addresses} endpoints, given to a fresh
 * {@code round_robin} balancer, to a READY picker over all of them: the update, one subconn per
 * address, and READY delivered to each subconn as a separate task (as a channel delivers one
 * transport event at a time), with every picker the balancer publishes on the way.
 *
 * <p>Each invocation starts from a new conn and balancer (set up outside the measurement), so the
 * figure is one whole operation: {@link Mode#SingleShotTime}, batched to smooth the small sizes.
 * That the final picker is READY and spreads over all the subconns is checked after each
 * invocation, outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(3)
public class ResolverUpdateBenchmark {

  @Param({"10", "1000", "10000"})
  public int addresses;

  private List<Address> addressList;
  private FakeBalancerClientConn conn;
  private Balancers.Running<?> balancer;

  @Setup(Level.Trial)
  public void makeAddresses() {
    addressList = Balancers.addresses(addresses);
  }

  @Setup(Level.Invocation)
  public void freshBalancer() {
    conn = FakeBalancerClientConn.create();
    balancer = Balancers.newBalancer("round_robin", conn);
  }

  @Benchmark
  public Picker updateToReadyPicker() {
    balancer.update(conn, addressList);
    Balancers.allReady(conn);
    return conn.lastPicker();
  }

  @TearDown(Level.Invocation)
  public void checkAndClose() {
    Picker picker = Balancers.readyPicker(conn);
    Map<SubConn, Integer> spread = FakeBalancerClientConn.pickSpread(picker, addresses);
    if (spread.size() != addresses || spread.containsKey(null)) {
      throw new IllegalStateException("the READY picker spread " + addresses + " picks over "
          + spread.size() + " subconns (expected: all " + addresses + ")");
    }
    balancer.close(conn);
    conn.assertNoViolations();
  }
}
