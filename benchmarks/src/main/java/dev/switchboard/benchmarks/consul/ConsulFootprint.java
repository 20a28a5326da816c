package dev.switchboard.benchmarks.consul;

import dev.switchboard.benchmarks.ReadyTransportFactory;
import dev.switchboard.benchmarks.ResolverFootprints;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.core.ChannelBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Retained heap, live threads and sockets per watch of the {@code consul} resolver:
 * {@code --channels} channels (default 100), each {@code consul://127.0.0.1:PORT/svc-i} on a service
 * of its own with {@code --instances} instances (default 10), READY over all of them with
 * round_robin, against none; once with the default options (the health watch and the service
 * config's KV watch; how many threads that makes per channel is what the table counts) and once
 * with {@code consul.service-config=false} (the health watch alone).
 *
 * <p>Protocol. The agent is a {@link ConsulRegistry} ({@code consul agent -dev}, a process of its
 * own: nothing of it is in this heap), every service registered and passing before the first
 * reading. Every channel gets its transports from one shared {@code ReadyTransportFactory} (READY
 * without a network, one event-loop and one timer thread for all; the channels' close does not stop
 * it), so that no per-channel fake threads are counted. Readings: used heap after
 * {@code System.gc()} repeated until it settles, polled every 100 ms until it has not moved for a
 * second (as {@code Footprint} reads it), live threads ({@code ThreadMXBean}), resolver-consul's
 * watch threads (named {@value ConsulResolverBenchmark#WATCH_THREAD}) and this process's sockets
 * ({@code /proc/self/fd}). Everything is warmed up first (a channel of each kind on service
 * {@code warm-up}, opened, READY and closed).
 *
 * <ol>
 *   <li>for each of the two settings: a reading; the N channels, one after another, each READY
 *       before the next; a reading; all closed, their watch threads ended; a reading (leak check);
 *   <li>N channels all on one service (default options): the watches shared, so heap and threads
 *       per channel beyond one pair of watches;
 *   <li>the reference: N channels whose {@code manual} resolver hands over the same addresses
 *       (without the consul balancer attributes), same policy and transport: what a channel with
 *       {@code instances} READY subconns holds without Consul;
 *   <li>one channel on a service of {@code --big-instances} (default 1 000) instances against a
 *       manual channel with the same addresses: what one watch holds for a large service.
 * </ol>
 *
 * <p>Arguments: {@code --channels N}, {@code --instances I}, {@code --big-instances B}, {@code --out
 * FILE}. Not thread-safe (a main).
 */
public final class ConsulFootprint {
  private static final String WARM_UP = "warm-up";
  private static final String BIG = "big";

  private ConsulFootprint() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    int channels = 100;
    int instances = 10;
    int bigInstances = 1000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--channels" -> channels = Integer.parseInt(args[++i]);
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        case "--big-instances" -> bigInstances = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("argument: " + args[i]
            + " (expected: --channels N, --instances I, --big-instances B, --out FILE)");
      }
    }
    if (channels < 1 || instances < 1 || bigInstances < 1) {
      throw new IllegalArgumentException("--channels " + channels + ", --instances " + instances
          + ", --big-instances " + bigInstances + " (expected: at least 1 each)");
    }
    if (20_000 + (channels + 1) * instances + bigInstances > 65_535) {
      throw new IllegalArgumentException("channels × instances + big instances: too many (one port each,"
          + " 20000 to 65535)");
    }
    long started = System.nanoTime();
    final int n = channels;
    final int each = instances;
    ReadyTransportFactory transports = new ReadyTransportFactory();
    StringBuilder md = new StringBuilder("## consul resolver: heap, threads and sockets per watch\n\n");
    try (ConsulRegistry consul = ConsulRegistry.start()) {
      String version = consul.version();
      consul.registerAll(WARM_UP, each, port(n, each, 0));
      for (int s = 0; s < n; s++) {
        consul.registerAll(service(s), each, port(s, each, 0));
      }
      int bigFirstPort = port(n + 1, each, 0);
      consul.registerAll(BIG, bigInstances, bigFirstPort);
      IntFunction<String> ownService = s -> consul.target(service(s));

      // Warm-up: classes, static state, once each way.
      ResolverFootprints.closeAll(List.of(consulChannel(consul.target(WARM_UP), true, each, transports)));
      ResolverFootprints.closeAll(List.of(consulChannel(consul.target(WARM_UP), false, each, transports)));
      ResolverFootprints.closeAll(List.of(ResolverFootprints.manualChannel(addresses(n, each), each, transports)));
      ConsulResolverBenchmark.awaitWatchThreads(0, Duration.ofSeconds(30));

      final int bigCount = bigInstances;
      Phase withConfig = phase(n, s -> consulChannel(ownService.apply(s), true, each, transports));
      Phase withoutConfig = phase(n, s -> consulChannel(ownService.apply(s), false, each, transports));
      Phase oneService = phase(n, s -> consulChannel(ownService.apply(0), true, each, transports));
      Phase manual = phase(n, s -> ResolverFootprints.manualChannel(addresses(s, each), each, transports));
      Phase big = phase(1, s -> consulChannel(consul.target(BIG), true, bigCount, transports));
      Phase bigManual = phase(1, s -> ResolverFootprints.manualChannel(ConsulRegistry.addresses(bigCount, bigFirstPort), bigCount,
          transports));

      md.append(String.format(Locale.ROOT, "%d channels, each `consul://127.0.0.1:PORT/svc-i` on a service of its own"
          + " with %d instances (each with a passing TTL check), READY over them with round_robin, transports"
          + " that connect nowhere (one shared factory: no per-channel transport threads); `consul agent -dev`"
          + " (Consul %s) in its own process (not counted); %s %s, %s. Heap: used heap after GC until it"
          + " settles; threads: live threads of the JVM; watch threads: resolver-consul's (`%s`); sockets:"
          + " this process's open sockets. Differences against the reading before the channels were"
          + " opened.%n%n",
          n, each, version, System.getProperty("java.vm.name"), System.getProperty("java.version"),
          ManagementFactory.getGarbageCollectorMXBeans().get(0).getName(), ConsulResolverBenchmark.WATCH_THREAD));
      md.append("| channels | watch threads | heap / channel | heap / watch thread | live threads / channel"
          + " | sockets / channel | left after closing (heap / channel, threads) |\n")
          .append("|---|---:|---:|---:|---:|---:|---|\n");
      md.append(withConfig.row(n + " on services of their own, default options (health + KV watch)"));
      md.append(withoutConfig.row(n + " on services of their own, `consul.service-config=false` (health watch)"));
      md.append(oneService.row(n + " on one service, default options (one shared pair of watches)"));
      md.append(manual.row("reference: " + n + " with the `manual` resolver, the same addresses"));
      md.append(String.format(Locale.ROOT, "%nThe consul resolver's share per channel (a channel on its own"
          + " service − the reference channel): **%,.0f bytes** with the default options (%s per watch), **%,.0f"
          + " bytes** with `consul.service-config=false` (%s per watch); threads: %.2f and %.2f per channel.%n",
          withConfig.heapPerChannel() - manual.heapPerChannel(),
          perWatch(withConfig.heapPerChannel() - manual.heapPerChannel(), withConfig.watchesPerChannel()),
          withoutConfig.heapPerChannel() - manual.heapPerChannel(),
          perWatch(withoutConfig.heapPerChannel() - manual.heapPerChannel(), withoutConfig.watchesPerChannel()),
          withConfig.threadsPerChannel() - manual.threadsPerChannel(),
          withoutConfig.threadsPerChannel() - manual.threadsPerChannel()));
      md.append(String.format(Locale.ROOT, "%nOne channel on a service of %,d instances (health answer %,d bytes),"
          + " default options: %,d bytes of heap, against %,d for a `manual` channel with the same addresses:"
          + " the resolver holds **%,d bytes** for it (%,.0f per instance). Run took %.1f s.%n",
          bigInstances, consul.healthBodyBytes(BIG), big.all.heap - big.zero.heap,
          bigManual.all.heap - bigManual.zero.heap,
          (big.all.heap - big.zero.heap) - (bigManual.all.heap - bigManual.zero.heap),
          (double) ((big.all.heap - big.zero.heap) - (bigManual.all.heap - bigManual.zero.heap)) / bigInstances,
          (System.nanoTime() - started) / 1e9));
    } finally {
      transports.close();
    }
    System.out.print(md);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, md);
      System.out.println("wrote " + out);
    }
    System.exit(0);
  }

  private static String perWatch(double bytes, double watches) {
    return watches == 0 ? "–" : String.format(Locale.ROOT, "%,.0f", bytes / watches);
  }

  /** Opens {@code n} channels one after another, each READY before the next, between readings; closes them. */
  private static Phase phase(int n, Opener open) throws Exception {
    Reading zero = Reading.take();
    List<ManagedChannel> opened = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      opened.add(open.open(s));
    }
    Reading all = Reading.take();
    ResolverFootprints.closeAll(opened);
    ConsulResolverBenchmark.awaitWatchThreads(0, Duration.ofSeconds(30));
    Reading closed = Reading.take();
    return new Phase(n, zero, all, closed);
  }

  /** Opens channel {@code s} of a phase, READY. */
  @FunctionalInterface
  private interface Opener {
    ManagedChannel open(int s) throws Exception;
  }

  /** Three readings around {@code n} channels: before, with all open, after all closed. Immutable. */
  private record Phase(int n, Reading zero, Reading all, Reading closed) {
    double heapPerChannel() {
      return (double) (all.heap - zero.heap) / n;
    }

    double watchesPerChannel() {
      return (double) (all.watchThreads - zero.watchThreads) / n;
    }

    double threadsPerChannel() {
      return (double) (all.threads - zero.threads) / n;
    }

    String row(String what) {
      long watches = all.watchThreads - zero.watchThreads;
      return String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %.2f | %.2f | %,.0f, %+d |%n", what, watches,
          heapPerChannel(), watches == 0 ? "–" : String.format(Locale.ROOT, "%,.0f", (double) (all.heap - zero.heap) / watches),
          threadsPerChannel(), (double) (all.sockets - zero.sockets) / n, (double) (closed.heap - zero.heap) / n,
          closed.threads - zero.threads);
    }
  }

  private static String service(int s) {
    return "svc-" + s;
  }

  /** Returns the port of instance {@code i} of service {@code s} (of {@code instances} each). */
  private static int port(int s, int instances, int i) {
    return 20_000 + s * instances + i;
  }

  private static List<Address> addresses(int service, int instances) {
    return ConsulRegistry.addresses(instances, port(service, instances, 0));
  }

  /** A consul channel, READY over its {@code instances} subconns; with or without the KV watch. */
  private static ManagedChannel consulChannel(String target, boolean serviceConfig, int instances,
      ReadyTransportFactory transports) throws Exception {
    ChannelBuilder builder = ChannelBuilder.forTarget(target);
    if (!serviceConfig) {
      builder.resolverOption(ConsulResolverBenchmark.serviceConfigOption(), false);
    }
    return ResolverFootprints.ready(builder, instances, transports);
  }

  /** Settled used heap, live threads, watch threads and open sockets at one moment. Immutable. */
  private record Reading(long heap, int threads, long watchThreads, long sockets) {
    /** Polls settled readings every 100 ms (up to 15 s) until the heap has not moved for a second. */
    static Reading take() {
      return ResolverFootprints.settled(Reading::once, Reading::heap);
    }

    private static Reading once() {
      long used = ResolverFootprints.usedHeapAfterGc();
      return new Reading(used, ManagementFactory.getThreadMXBean().getThreadCount(),
          ConsulResolverBenchmark.watchThreads(), openSockets());
    }

    private static long openSockets() {
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        return fds.filter(fd -> {
          try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
          } catch (IOException e) {
            return false; // closed meanwhile (the listing's own descriptor)
          }
        }).count();
      } catch (IOException e) {
        return -1;
      }
    }
  }
}
