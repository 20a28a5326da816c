package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.internal.transport.TransportFactoryOverride;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import dev.switchboard.channel.testing.ManualResolver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * The time from a resolver update of {@code addresses} endpoints to a READY {@code round_robin}
 * picker over all of them, at two levels:
 *
 * <ul>
 *   <li>{@link #updateToReadyPicker}: the balancer alone, on the testing kit's
 *       {@code FakeBalancerClientConn}: the update, one subconn per address, and READY delivered to
 *       each subconn as a separate task (as a channel delivers one transport event at a time), with
 *       every picker the balancer publishes on the way.
 *   <li>{@link #channelUpdateToReadyPicker}: a real channel ({@code ChannelBuilder}, so
 *       {@code ManagedChannelImpl}, its resolver driver, synchronization context, graceful switch
 *       and real subconns, each with its connect timeout) whose {@code manual} resolver pushes the
 *       addresses; each subconn's transport ({@link ReadyTransportFactory}) reports READY from its
 *       event-loop thread without a network. Done when the balancer has published a picker over
 *       all N ({@link ReadyWatch}, a forwarding layer around the registry's round_robin).
 * </ul>
 *
 * <p>Each invocation starts from a new balancer (or channel, exited from idle with its resolver
 * created), set up outside the measurement, so the figure is one whole operation:
 * {@link Mode#SingleShotTime}. That the final picker spreads over all the subconns is checked after
 * each invocation, outside the measurement, and the garbage of earlier invocations is collected
 * before each one (see {@link #collectGarbage()}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
// A fixed heap, so that the collection before each invocation does not shrink the young
// generation below one invocation's allocation (about 2.6 KB per address through the channel).
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ResolverUpdateBenchmark {

  @Benchmark
  public Picker updateToReadyPicker(FakeConnUpdate update) {
    update.balancer.update(update.conn, update.addressList);
    Balancers.allReady(update.conn);
    return update.conn.lastPicker();
  }

  @Benchmark
  public Picker channelUpdateToReadyPicker(ChannelUpdate update)
      throws InterruptedException, ExecutionException, TimeoutException {
    Status status = update.resolver.updateState(update.state);
    if (!status.isOk()) {
      throw new IllegalStateException("the channel rejected the update: " + status);
    }
    return update.watch.allReady().get(60, TimeUnit.SECONDS);
  }

  /** A fresh {@code round_robin} balancer on a fake conn per invocation. */
  @State(Scope.Thread)
  public static class FakeConnUpdate {
    @Param({"10", "1000", "10000"})
    public int addresses;

    List<Address> addressList;
    FakeBalancerClientConn conn;
    Balancers.Running<?> balancer;

    @Setup(Level.Trial)
    public void makeAddresses() {
      addressList = Balancers.addresses(addresses);
    }

    @Setup(Level.Invocation)
    public void freshBalancer() {
      collectGarbage();
      conn = FakeBalancerClientConn.create();
      balancer = Balancers.newBalancer("round_robin", conn);
    }

    @TearDown(Level.Invocation)
    public void checkAndClose() {
      checkSpread(Balancers.readyPicker(conn), addresses);
      balancer.close(conn);
      conn.assertNoViolations();
    }
  }

  /** A fresh channel per invocation, out of idle, its manual resolver created and silent. */
  @State(Scope.Thread)
  public static class ChannelUpdate {
    @Param({"10", "1000", "10000"})
    public int addresses;

    ResolverState state;
    ReadyWatch watch;
    ManualResolver resolver;
    ManagedChannel channel;

    @Setup(Level.Trial)
    public void makeAddresses() {
      state = ResolverState.newBuilder().addresses(Balancers.addresses(addresses)).build();
    }

    @Setup(Level.Invocation)
    public void freshChannel() {
      collectGarbage();
      watch = new ReadyWatch(addresses);
      resolver = ManualResolver.create();
      ChannelBuilder builder = ChannelBuilder.forTarget(resolver.target())
          .pluginRegistry(Balancers.registry())
          .resolverProvider(resolver.provider())
          .balancerProvider(watch.provider())
          .defaultLoadBalancingPolicy(ReadyWatch.POLICY)
          .usePlaintext();
      channel = TransportFactoryOverride.set(builder, new ReadyTransportFactory()).build();
      channel.state(true); // leaves idle: the channel creates its resolver
      resolver.awaitResolver(Duration.ofSeconds(10));
    }

    @TearDown(Level.Invocation)
    public void checkAndClose() throws InterruptedException {
      Picker picker = watch.allReady().getNow(null);
      if (picker == null) {
        throw new IllegalStateException("no READY picker over all " + addresses + " subconns");
      }
      checkSpread(picker, addresses);
      channel.shutdownNow();
      if (!channel.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("channel did not terminate: " + channel);
      }
    }
  }

  /**
   * Collects the previous invocations' garbage (thousands of subconns) before the next one, outside
   * the measurement: otherwise the collections it forces land in whichever invocation happens to
   * fill the young generation, which made single shots of 10 000 addresses on a real channel
   * alternate between about 15 and 200 ms. The invocation still pays for collecting what it
   * allocates itself.
   */
  private static void collectGarbage() {
    System.gc();
  }

  private static void checkSpread(Picker picker, int addresses) {
    Map<SubConn, Integer> spread = FakeBalancerClientConn.pickSpread(picker, addresses);
    if (spread.size() != addresses || spread.containsKey(null)) {
      throw new IllegalStateException("the READY picker spread " + addresses + " picks over "
          + spread.size() + " subconns (expected: all " + addresses + ")");
    }
  }
}
