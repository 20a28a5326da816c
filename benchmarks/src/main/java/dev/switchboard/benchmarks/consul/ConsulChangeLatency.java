package dev.switchboard.benchmarks.consul;

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

/**
 * The time from an instance's check turning critical to the picker of a real channel dropping that
 * instance, and from the check passing again to the picker holding it READY again, with
 * {@code --instances} (default 1 000) instances registered: {@code --samples} of each (default 500),
 * after {@code --warmup} unrecorded pairs (default 50).
 *
 * <p>Protocol. The agent and the registrar are a {@link ConsulRegistry} ({@code consul agent -dev},
 * its own process on 127.0.0.1; each instance registered with {@code PUT
 * /v1/agent/service/register} and a passing TTL check). One channel
 * {@code consul://127.0.0.1:PORT/bench} with the registry's {@code consul} resolver (resolver-consul's
 * shaded jar, default options: the health watch and the KV watch of the service config) and
 * {@code round_robin} behind a {@link ChangeWatch}; its subconns' transports are
 * {@code ReadyTransportFactory}'s (READY without a network). Once its picker is READY over all
 * instances, each sample, on instance {@code k mod instances}:
 * <ol>
 *   <li>the expectation set (the next update: N − 1 addresses, this one not among them);
 *   <li>{@code t0}, {@code PUT /v1/agent/check/fail/ttl-<id>}, {@code t1} when the agent has answered
 *       (its local state changed; the catalog, which the health endpoint reads, follows by the
 *       agent's sync);
 *   <li>waiting for the update to reach round_robin ({@code seen}) and for the READY picker over the
 *       N − 1 ({@code picked}, the one round_robin publishes with the update); then a pause of
 *       {@code --gap-ms} (default 250), so that each change finds the watch parked in its long poll
 *       (queries start at least 100 ms apart) and the threads idle, as a lone change in production
 *       does;
 *   <li>the same for {@code PUT /v1/agent/check/pass/ttl-<id>} (N addresses, this one among them;
 *       the picker once its new subconn is READY).
 * </ol>
 * Reported per kind of change, over the samples: {@code picked − t1} (the figure asked for: from
 * the PUT's return to the picker over the new set), {@code seen − t1} (to the balancer seeing the
 * new address set), {@code picked − seen} (the channel's and round_robin's part) and {@code t1 − t0}
 * (the PUT itself), as p50, p90, p99, min and max (nearest rank), and how many updates arrived
 * before the PUT's answer (a negative {@code seen − t1}); over the samples' window, the CPU
 * this JVM and the agent used per change, the bytes received on {@code lo} per change (each health
 * answer carries every instance, gzip-compressed: the bytes per change over the compressed answer's
 * size is about the answers per change), and the other processes' CPU.
 *
 * <p>Arguments: {@code --instances N}, {@code --samples S}, {@code --warmup W}, {@code --gap-ms G},
 * {@code --out FILE} (the Markdown table; also printed). Not thread-safe (a main).
 */
public final class ConsulChangeLatency {
  private static final String SERVICE = "bench";
  private static final int FIRST_PORT = 10_000;

  private ConsulChangeLatency() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    int instances = 1000;
    int samples = 500;
    int warmup = 50;
    int gapMillis = 250;
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
    if (instances < 2 || samples < 1) {
      throw new IllegalArgumentException("--instances " + instances + ", --samples " + samples
          + " (expected: at least 2 instances and 1 sample)");
    }
    long started = System.nanoTime();
    Samples critical = new Samples(samples);
    Samples passing = new Samples(samples);
    ProcStat.Window window;
    int bodyBytes;
    int gzipBytes;
    double firstReadMillis;
    long watchThreads;
    String version;
    try (ConsulRegistry registry = ConsulRegistry.start()) {
      version = registry.version();
      registry.registerAll(SERVICE, instances, FIRST_PORT);
      bodyBytes = registry.healthBodyBytes(SERVICE);
      gzipBytes = registry.healthGzipBytes(SERVICE);
      ChangeWatch watch = new ChangeWatch();
      ChangeWatch.Expectation all = watch.expect(instances, ConsulRegistry.address(FIRST_PORT), true);
      ChannelBuilder builder = ChannelBuilder.forTarget(registry.target(SERVICE))
          .balancerProvider(watch.provider())
          .defaultLoadBalancingPolicy(ChangeWatch.POLICY)
          .usePlaintext();
      long startNanos = System.nanoTime();
      ManagedChannel channel = TransportFactoryOverride.set(builder, new ReadyTransportFactory()).build();
      try {
        channel.state(true);
        all.picked().get(60, TimeUnit.SECONDS);
        firstReadMillis = (System.nanoTime() - startNanos) / 1e6;
        watchThreads = ConsulResolverBenchmark.watchThreads();
        ProcStat windowStart = null;
        for (int k = 0; k < warmup + samples; k++) {
          if (k == warmup) {
            windowStart = ProcStat.now(registry.pid());
          }
          int i = k % instances;
          String id = ConsulRegistry.id(SERVICE, i);
          ChangeWatch.Expectation dropped = watch.expect(instances - 1, ConsulRegistry.address(FIRST_PORT + i), false);
          long t0 = System.nanoTime();
          registry.failCheck(id);
          long t1 = System.nanoTime();
          long seen = dropped.seen().get(30, TimeUnit.SECONDS);
          long picked = dropped.picked().get(30, TimeUnit.SECONDS);
          if (k >= warmup) {
            critical.add(t0, t1, seen, picked);
          }
          LockSupport.parkNanos(gapMillis * 1_000_000L); // pacing, not a condition
          ChangeWatch.Expectation back = watch.expect(instances, ConsulRegistry.address(FIRST_PORT + i), true);
          t0 = System.nanoTime();
          registry.passCheck(id);
          t1 = System.nanoTime();
          seen = back.seen().get(30, TimeUnit.SECONDS);
          picked = back.picked().get(30, TimeUnit.SECONDS);
          if (k >= warmup) {
            passing.add(t0, t1, seen, picked);
          }
          LockSupport.parkNanos(gapMillis * 1_000_000L);
        }
        window = ProcStat.now(registry.pid()).since(windowStart);
        if (watch.readyCount() != instances) {
          throw new IllegalStateException("READY subconns at the end: " + watch.readyCount()
              + " (expected: " + instances + ")");
        }
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(30, TimeUnit.SECONDS);
      }
    }

    int changes = 2 * samples;
    StringBuilder md = new StringBuilder("## consul resolver: a check turning critical (and passing again) to the"
        + " picker\n\n");
    md.append(String.format(Locale.ROOT, "%d instances registered (`PUT /v1/agent/service/register`, a TTL check"
        + " each), one channel `consul://127.0.0.1:PORT/bench` with round_robin (default options: %d watch"
        + " threads), READY over all; `consul agent -dev` (Consul %s) in its own process on 127.0.0.1; the"
        + " health answer the resolver reads is %,d bytes of JSON, %,d gzip-compressed on the wire (its HTTP"
        + " client asks for gzip). %d checks turned critical (`PUT"
        + " /v1/agent/check/fail/…`) and %d passing again (`…/pass/…`), one change at a time, %d ms apart,"
        + " after %d unrecorded pairs; instance k mod %d for sample k. Times in ms, nearest rank.%n%n",
        instances, watchThreads, version, bodyBytes, gzipBytes, samples, samples, gapMillis, warmup,
        instances));
    md.append("| change | interval | p50 | p90 | p99 | min | max | samples |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    critical.rows("critical → dropped", md);
    passing.rows("passing → READY again", md);
    md.append(String.format(Locale.ROOT, "%nIntervals: PUT returned → picker = from the agent's answer to the"
        + " PUT to the channel holding a READY picker over exactly the new set (for a check passing again,"
        + " once the new subconn is READY); PUT returned → balancer = to the update with the new address set"
        + " entering round_robin (negative when the update arrived before the PUT's answer); balancer →"
        + " picker = from there to that picker; PUT = the request from call to answer. Updates that reached"
        + " the balancer before the PUT returned: %d of %d checks turned critical, %d of %d passing again.%n%n"
        + "Over the %d measured changes (%.1f s): this JVM used %.1f ms of CPU per change, the agent %.1f ms;"
        + " %,.0f bytes received on `lo` per change (%.2f × the compressed answer); other processes used %.2f"
        + " cores. Before them, the channel went from creation to READY over the %d instances in %.0f ms"
        + " (one sample, a cold JVM). Run took %.1f s.%n",
        critical.early(), samples, passing.early(), samples, changes, window.seconds(), window.ownCpu() * 1000 / changes, window.agentCpu() * 1000 / changes,
        (double) window.loopbackBytes() / changes, (double) window.loopbackBytes() / changes / gzipBytes,
        window.otherCores(), instances, firstReadMillis, (System.nanoTime() - started) / 1e9));
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
    private final long[] put;
    private final long[] toBalancer;
    private final long[] toPicker;
    private final long[] balancerToPicker;
    private int n;

    Samples(int capacity) {
      put = new long[capacity];
      toBalancer = new long[capacity];
      toPicker = new long[capacity];
      balancerToPicker = new long[capacity];
    }

    void add(long t0, long t1, long seen, long picked) {
      put[n] = t1 - t0;
      toBalancer[n] = seen - t1;
      toPicker[n] = picked - t1;
      balancerToPicker[n] = picked - seen;
      n++;
    }

    /** Returns how many updates reached the balancer before the PUT had returned. */
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
      row(md, change, "**PUT returned → picker**", toPicker);
      row(md, change, "PUT returned → balancer", toBalancer);
      row(md, change, "balancer → picker", balancerToPicker);
      row(md, change, "PUT", put);
    }

    private void row(StringBuilder md, String change, String interval, long[] values) {
      LatencyRows.append(md, change, interval, values, n, 2);
    }
  }
}
