package dev.switchboard.benchmarks.zookeeper;

import dev.switchboard.benchmarks.ChangeWatch;
import dev.switchboard.benchmarks.LatencyRows;
import dev.switchboard.benchmarks.ReadyTransportFactory;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.internal.transport.TransportFactoryOverride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.x.discovery.ServiceInstance;

/**
 * The time one instance change takes to reach a real channel's picker, with {@code --instances}
 * (default 1 000) instances registered: a registration, then its unregistration, {@code --samples}
 * times each (default 1 000), after {@code --warmup} unrecorded pairs (default 200).
 *
 * <p>Protocol. ZooKeeper and the registrar are a {@link ZookeeperRegistry} (curator-test's
 * {@code TestingServer} in this JVM, on 127.0.0.1; curator-x-discovery's {@code ServiceDiscovery}
 * on a session of its own). One channel {@code zk://127.0.0.1:PORT/services/bench} with the
 * registry's {@code zk} resolver (resolver-zookeeper's shaded jar) and {@code round_robin} behind a
 * {@link ChangeWatch}; its subconns' transports are {@code ReadyTransportFactory}'s (READY without a
 * network). Once its picker is READY over all instances, each sample is:
 * <ol>
 *   <li>the expectation set (the next update: N + 1 addresses, the new one among them);
 *   <li>{@code t0}, {@code ServiceDiscovery.registerService} of a new instance (127.0.0.1, a port
 *       not used before), {@code t1} when it returns (ZooKeeper has created the znode);
 *   <li>waiting for the update to reach round_robin ({@code seen}) and for a READY picker over all
 *       N + 1 subconns ({@code picked}); then a pause of {@code --gap-ms} (default 5), so that each
 *       change finds the threads idle, as a lone change in production does;
 *   <li>the same for {@code unregisterService} of that instance (N addresses, it not among them;
 *       the picker that round_robin publishes with the update, its subconn shut down).
 * </ol>
 * Reported per kind of change, over the samples: {@code seen − t1} (from the write's return to the
 * balancer seeing the new address set; negative if the update arrived before the registrar got
 * ZooKeeper's answer), {@code picked − t1} (to the picker over the new set), {@code seen − t0}
 * (from the write's start) and {@code t1 − t0} (the write itself), as p50, p90, p99, min and max
 * (nearest rank), and the other processes' CPU during the samples. Also the requests the server
 * received: while the channel read the service first, and per change during the samples.
 *
 * <p>Arguments: {@code --instances N}, {@code --samples S}, {@code --warmup W}, {@code --gap-ms G},
 * {@code --out FILE} (the Markdown table; also printed). Not thread-safe (a main).
 */
public final class ZookeeperChangeLatency {
  private static final String SERVICE = "bench";
  private static final int FIRST_PORT = 10_000;

  private ZookeeperChangeLatency() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    int instances = 1000;
    int samples = 1000;
    int warmup = 200;
    int gapMillis = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--gap-ms" -> gapMillis = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("argument: " + args[i]
            + " (expected: --instances N, --samples S, --warmup W, --gap-ms G, --out FILE)");
      }
    }
    if (FIRST_PORT + instances + warmup + samples > 65_535) {
      throw new IllegalArgumentException("instances + warmup + samples: " + (instances + warmup + samples)
          + " (expected: at most " + (65_535 - FIRST_PORT) + ", one port each)");
    }
    long started = System.nanoTime();
    Samples registration = new Samples(samples);
    Samples unregistration = new Samples(samples);
    double otherCores;
    double ownCores;
    int sessions;
    double firstReadMillis;
    long firstReadPackets;
    try (ZookeeperRegistry registry = ZookeeperRegistry.start()) {
      registry.registerAll(SERVICE, instances, FIRST_PORT);
      ChangeWatch watch = new ChangeWatch();
      ChangeWatch.Expectation all = watch.expect(instances, ZookeeperRegistry.address(FIRST_PORT), true);
      ChannelBuilder builder = ChannelBuilder.forTarget(registry.target(SERVICE))
          .balancerProvider(watch.provider())
          .defaultLoadBalancingPolicy(ChangeWatch.POLICY)
          .usePlaintext();
      long packetsBefore = registry.serverPacketsReceived();
      long startNanos = System.nanoTime();
      ManagedChannel channel = TransportFactoryOverride.set(builder, new ReadyTransportFactory()).build();
      try {
        channel.state(true);
        all.picked().get(60, TimeUnit.SECONDS);
        firstReadMillis = (System.nanoTime() - startNanos) / 1e6;
        firstReadPackets = registry.serverPacketsReceived() - packetsBefore;
        sessions = registry.sessions();
        OtherCpu windowStart = null;
        long mark = 0; // the server's packets before the last change's write
        for (int k = 0; k < warmup + samples; k++) {
          if (k == warmup) {
            windowStart = OtherCpu.now();
          }
          int port = FIRST_PORT + instances + k;
          ChangeWatch.Expectation added = watch.expect(instances + 1, ZookeeperRegistry.address(port), true);
          long packets = registry.serverPacketsReceived(); // outside the timed span
          if (k > warmup) {
            unregistration.packets += packets - mark;
          }
          mark = packets;
          long t0 = System.nanoTime();
          ServiceInstance<Void> instance = registry.register(SERVICE, port);
          long t1 = System.nanoTime();
          long seen = added.seen().get(30, TimeUnit.SECONDS);
          long picked = added.picked().get(30, TimeUnit.SECONDS);
          if (k >= warmup) {
            registration.add(t0, t1, seen, picked);
          }
          LockSupport.parkNanos(gapMillis * 1_000_000L); // pacing, not a condition
          ChangeWatch.Expectation removed = watch.expect(instances, ZookeeperRegistry.address(port), false);
          packets = registry.serverPacketsReceived();
          if (k >= warmup) {
            registration.packets += packets - mark;
          }
          mark = packets;
          t0 = System.nanoTime();
          registry.unregister(instance);
          t1 = System.nanoTime();
          seen = removed.seen().get(30, TimeUnit.SECONDS);
          picked = removed.picked().get(30, TimeUnit.SECONDS);
          if (k >= warmup) {
            unregistration.add(t0, t1, seen, picked);
          }
          LockSupport.parkNanos(gapMillis * 1_000_000L);
        }
        OtherCpu windowEnd = OtherCpu.now();
        unregistration.packets += registry.serverPacketsReceived() - mark;
        otherCores = windowEnd.coresSince(windowStart);
        ownCores = windowEnd.ownCoresSince(windowStart);
        if (watch.readyCount() != instances) {
          throw new IllegalStateException("READY subconns at the end: " + watch.readyCount()
              + " (expected: " + instances + ")");
        }
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(30, TimeUnit.SECONDS);
      }
    }

    StringBuilder md = new StringBuilder("## zk resolver: one instance change to the picker\n\n");
    md.append(String.format(Locale.ROOT, "%d instances registered (curator-x-discovery), one channel"
        + " `zk://127.0.0.1:PORT/services/bench` with round_robin, READY over all; ZooKeeper 3.9"
        + " (curator-test `TestingServer`) in the same JVM on 127.0.0.1; %d registrations and %d"
        + " unregistrations measured after %d unrecorded pairs, one change at a time, %d ms apart;"
        + " sessions on the server with the channel open: %d (the registrar's and the resolver's)."
        + " Other processes used %.2f cores during the samples (this JVM: %.2f); %s %s, %d cores."
        + " Times in ms, nearest rank.%n%n",
        instances, samples, samples, warmup, gapMillis, sessions, otherCores, ownCores,
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors()));
    md.append("| change | interval | p50 | p90 | p99 | min | max | samples |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    registration.rows("registration", md);
    unregistration.rows("unregistration", md);
    md.append(String.format(Locale.ROOT, "%nIntervals: write = `registerService`/`unregisterService`"
        + " from call to return; returned → balancer = from the write's return to the update with"
        + " the new address set entering round_robin; returned → picker = to the channel holding a"
        + " READY picker over exactly the new set (for a registration, once the new subconn is READY);"
        + " start → balancer = from the write's call. Updates that reached the balancer before the"
        + " write returned: %d of %d registrations, %d of %d unregistrations.%n%n"
        + "Requests the ZooKeeper server received (its `PacketsReceived`, from all clients, pings"
        + " included): %d while the channel went from creation to READY over the %d instances (one"
        + " sample: %.0f ms), that is %.2f per instance; during the samples, from each write to the"
        + " next, the registrar's write included: %.2f per registration, %.2f per unregistration."
        + " Run took %.1f s.%n",
        registration.early(), samples, unregistration.early(), samples, firstReadPackets, instances,
        firstReadMillis, (double) firstReadPackets / instances, (double) registration.packets / samples,
        (double) unregistration.packets / samples, (System.nanoTime() - started) / 1e9));
    System.out.print(md);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, md);
      System.out.println("wrote " + out);
    }
    System.exit(0);
  }

  /** The samples of one kind of change. Not thread-safe. */
  private static final class Samples {
    private final long[] write;
    private final long[] toBalancer;
    private final long[] toPicker;
    private final long[] startToBalancer;
    private int n;
    /** The server's packets from each write of this kind to the next write. */
    long packets;

    Samples(int capacity) {
      write = new long[capacity];
      toBalancer = new long[capacity];
      toPicker = new long[capacity];
      startToBalancer = new long[capacity];
    }

    void add(long t0, long t1, long seen, long picked) {
      write[n] = t1 - t0;
      toBalancer[n] = seen - t1;
      toPicker[n] = picked - t1;
      startToBalancer[n] = seen - t0;
      n++;
    }

    int early() {
      int early = 0;
      for (int i = 0; i < n; i++) {
        if (toBalancer[i] < 0) {
          early++;
        }
      }
      return early;
    }

    void rows(String change, StringBuilder md) {
      row(md, change, "returned → balancer", toBalancer);
      row(md, change, "returned → picker", toPicker);
      row(md, change, "start → balancer", startToBalancer);
      row(md, change, "write", write);
    }

    private void row(StringBuilder md, String change, String interval, long[] values) {
      LatencyRows.append(md, change, interval, values, n, 3);
    }
  }
}
