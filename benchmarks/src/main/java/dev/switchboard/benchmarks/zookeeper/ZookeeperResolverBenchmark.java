package dev.switchboard.benchmarks.zookeeper;

import dev.switchboard.benchmarks.ReadyTransportFactory;
import dev.switchboard.benchmarks.ReadyWatch;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.core.internal.transport.TransportFactoryOverride;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import dev.switchboard.channel.testing.ManualResolver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
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
 * The time from creating a channel {@code zk://127.0.0.1:PORT/services/bench}, with {@code instances}
 * instances already registered by curator-x-discovery's {@code ServiceDiscovery}, to its
 * {@code round_robin} picker READY over all of them: {@link #channelToReadyPicker}, one whole
 * operation per invocation ({@link Mode#SingleShotTime}).
 *
 * <p>Measured: {@code ChannelBuilder} (the registry's providers, so the {@code zk} resolver from
 * resolver-zookeeper's shaded jar through {@code META-INF/services}), {@code build()}, leaving idle
 * ({@code state(true)}: the channel creates its resolver, which takes a lease on a ZooKeeper
 * session and starts a {@code CuratorCache} on the service's znode), the cache's first read of
 * the service and its children, the resolver's report, round_robin's subconns and their
 * connections, until round_robin publishes a READY picker over all of them ({@code ReadyWatch}).
 * Each subconn's transport is {@code ReadyTransportFactory}'s: READY from its one event-loop thread
 * without a network, as in {@code ResolverUpdateBenchmark.channelUpdateToReadyPicker}, so no
 * thousand servers are needed; ZooKeeper is real ({@link ZookeeperRegistry}: curator-test's
 * {@code TestingServer} in this JVM, on 127.0.0.1).
 *
 * <p>{@code resolver}:
 * <ul>
 *   <li>{@code zk-new-session}: the channel is the only user of the ensemble, so its resolver opens
 *       a ZooKeeper session (connection, session handshake) inside the measurement; the session
 *       closes when the channel does, and the next invocation waits until the server has dropped
 *       it.
 *   <li>{@code zk-shared-session}: another channel (watching a service of one instance) holds the
 *       session for the whole trial, so the measured channel's resolver shares it (checked: the
 *       server holds no extra session).
 *   <li>{@code manual}: the reference, the same span with the testing kit's {@code manual}
 *       resolver handing over the same {@code instances} addresses (127.0.0.1, the same ports,
 *       without the zk balancer attributes) from {@code newResolver}: what is the channel's and
 *       round_robin's, not ZooKeeper's.
 * </ul>
 *
 * <p>{@link #curatorCacheInitialized} is the floor under the {@code zk} rows: Curator's
 * {@code CuratorCache} alone on the same service and an open session, until initialized.
 *
 * <p>After each invocation, outside the measurement: the picker spreads picks over all
 * {@code instances} subconns, the server holds the sessions expected, and the channel is shut down
 * and terminated; before each one, {@code System.gc()} (see {@code ResolverUpdateBenchmark}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ZookeeperResolverBenchmark {
  /** The service the channels watch. */
  static final String SERVICE = "bench";
  /** The first instance's port (never dialled). */
  static final int FIRST_PORT = 10_000;

  private static final PluginRegistry REGISTRY = PluginRegistry.loadDefault();

  @Benchmark
  public Picker channelToReadyPicker(Run run)
      throws InterruptedException, ExecutionException, TimeoutException {
    ReadyWatch watch = new ReadyWatch(run.instances);
    ChannelBuilder builder = ChannelBuilder.forTarget(run.target)
        .pluginRegistry(REGISTRY)
        .balancerProvider(watch.provider())
        .defaultLoadBalancingPolicy(ReadyWatch.POLICY)
        .usePlaintext();
    if (run.manual != null) {
      builder.resolverProvider(run.manual.provider());
    }
    ManagedChannel channel = TransportFactoryOverride.set(builder, new ReadyTransportFactory()).build();
    run.channel = channel;
    channel.state(true); // leaves idle: the channel creates its resolver
    Picker picker = watch.allReady().get(60, TimeUnit.SECONDS);
    run.picker = picker;
    return picker;
  }

  /**
   * The floor under the {@code zk} rows: a Curator {@code CuratorCache} alone on the same service,
   * started on the registrar's open session (the original Curator, the version the resolver
   * relocates), until it reports itself initialized: ZooKeeper's and Curator's share of the first
   * read, without the resolver's parsing, the channel or round_robin.
   */
  @Benchmark
  public CuratorCache curatorCacheInitialized(CacheRun run) throws InterruptedException {
    CountDownLatch initialized = new CountDownLatch(1);
    CuratorCache cache = CuratorCache.build(run.registry.client(), ZookeeperRegistry.BASE_PATH + "/" + SERVICE);
    cache.listenable().addListener(CuratorCacheListener.builder().forInitialized(initialized::countDown).build());
    run.cache = cache;
    cache.start();
    if (!initialized.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the CuratorCache did not initialize in 60 s");
    }
    return cache;
  }

  /** One trial's ZooKeeper and the cache of the current invocation. */
  @State(Scope.Thread)
  public static class CacheRun {
    @Param({"1000"})
    public int instances;

    ZookeeperRegistry registry;
    CuratorCache cache;

    @Setup(Level.Trial)
    public void start() throws Exception {
      registry = ZookeeperRegistry.start();
      registry.registerAll(SERVICE, instances, FIRST_PORT);
    }

    @Setup(Level.Invocation)
    public void quiet() {
      System.gc();
    }

    @TearDown(Level.Invocation)
    public void checkAndClose() {
      try {
        if (cache.size() != instances + 1) {
          throw new IllegalStateException("the cache holds " + cache.size() + " znodes (expected: the"
              + " service's and its " + instances + " instances)");
        }
      } finally {
        cache.close();
        cache = null;
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      registry.close();
    }
  }

  /** One trial's ZooKeeper (or manual resolver) and the channel of the current invocation. */
  @State(Scope.Thread)
  public static class Run {
    @Param({"zk-new-session", "zk-shared-session", "manual"})
    public String resolver;

    @Param({"1000"})
    public int instances;

    String target;
    ZookeeperRegistry registry;
    ManualResolver manual;
    ManagedChannel holder;
    /** Sessions on the server between invocations: the registrar's, and the holder's if any. */
    int idleSessions;
    /** Sessions on the server while the measured channel is open. */
    int busySessions;

    ManagedChannel channel;
    Picker picker;

    @Setup(Level.Trial)
    public void start() throws Exception {
      switch (resolver) {
        case "manual" -> {
          manual = ManualResolver.create();
          manual.setInitialState(ResolverState.newBuilder()
              .addresses(ZookeeperRegistry.addresses(instances, FIRST_PORT)).build());
          target = manual.target();
        }
        case "zk-new-session", "zk-shared-session" -> {
          registry = ZookeeperRegistry.start();
          registry.registerAll(SERVICE, instances, FIRST_PORT);
          target = registry.target(SERVICE);
          idleSessions = 1;
          if (resolver.equals("zk-shared-session")) {
            holder = holdSession(registry);
            idleSessions = 2;
          }
          busySessions = 2;
          registry.awaitSessions(idleSessions, Duration.ofSeconds(30));
        }
        default -> throw new IllegalArgumentException("resolver: " + resolver
            + " (expected: zk-new-session, zk-shared-session, manual)");
      }
    }

    @Setup(Level.Invocation)
    public void quiet() {
      if (registry != null) {
        // zk-new-session: the previous channel's session is gone, so this one opens its own.
        registry.awaitSessions(idleSessions, Duration.ofSeconds(30));
      }
      System.gc(); // the earlier invocations' garbage, outside the measurement
    }

    @TearDown(Level.Invocation)
    public void checkAndClose() throws InterruptedException {
      try {
        if (picker == null) {
          throw new IllegalStateException("no READY picker over all " + instances + " subconns");
        }
        Map<SubConn, Integer> spread = FakeBalancerClientConn.pickSpread(picker, instances);
        if (spread.size() != instances || spread.containsKey(null)) {
          throw new IllegalStateException("the READY picker spread " + instances + " picks over "
              + spread.size() + " subconns (expected: all " + instances + ")");
        }
        if (registry != null && registry.sessions() != busySessions) {
          throw new IllegalStateException("ZooKeeper holds " + registry.sessions() + " sessions with the"
              + " channel open (expected: " + busySessions + ", the registrar's and one resolver session)");
        }
      } finally {
        closeChannel(channel);
        channel = null;
        picker = null;
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      closeChannel(holder);
      if (registry != null) {
        registry.close();
      }
    }

    /** A READY channel on a service of one instance, so that its resolver holds the session. */
    private static ManagedChannel holdSession(ZookeeperRegistry registry) throws Exception {
      registry.register("holder", FIRST_PORT - 1);
      ReadyWatch watch = new ReadyWatch(1);
      ChannelBuilder builder = ChannelBuilder.forTarget(registry.target("holder"))
          .pluginRegistry(REGISTRY)
          .balancerProvider(watch.provider())
          .defaultLoadBalancingPolicy(ReadyWatch.POLICY)
          .usePlaintext();
      ManagedChannel holder = TransportFactoryOverride.set(builder, new ReadyTransportFactory()).build();
      holder.state(true);
      watch.allReady().get(60, TimeUnit.SECONDS);
      return holder;
    }

    private static void closeChannel(ManagedChannel channel) throws InterruptedException {
      if (channel == null) {
        return;
      }
      channel.shutdownNow();
      if (!channel.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("channel did not terminate: " + channel);
      }
    }
  }
}
