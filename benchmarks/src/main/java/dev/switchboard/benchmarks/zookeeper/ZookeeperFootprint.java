package dev.switchboard.benchmarks.zookeeper;

import dev.switchboard.benchmarks.ReadyTransportFactory;
import dev.switchboard.benchmarks.ResolverFootprints;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.core.ChannelBuilder;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Retained heap per watched service: {@code --channels} channels (default 100), each
 * {@code zk://127.0.0.1:PORT/services/svc-i} on a service of its own with {@code --instances}
 * instances (default 10), READY over all of them with round_robin, against none; and the one
 * ZooKeeper session they share.
 *
 * <p>Protocol. ZooKeeper and the registrar run in a child JVM ({@link ZookeeperServerMain}: the
 * server's sessions, watches and data are not in this heap), all services registered before the
 * first reading. Every channel gets its transports from one shared {@code ReadyTransportFactory}
 * (READY without a network, one event-loop and one timer thread for all; the channels' close does
 * not stop it), so that no per-channel fake threads are counted; the {@code zk} resolvers report on
 * that timer (a real channel's is its Netty event loop group). Readings: used heap after
 * {@code System.gc()} repeated until it settles, polled every 100 ms until it has not moved for a
 * second (as {@code Footprint} reads it). Everything is warmed up first (one zk channel on service
 * {@code warm-up} and one manual channel, opened, READY and closed; the session closed again).
 *
 * <ol>
 *   <li>reading 0; the first zk channel, READY: reading 1 (its resolver opens the shared session);
 *       the other channels, one after another, each READY before the next: reading N; the sessions
 *       the server holds, and the ZooKeeper client threads in this JVM ({@code *-SendThread*});
 *   <li>all closed, the session gone from the server: reading (leak check);
 *   <li>the reference: N channels whose {@code manual} resolver hands over the same addresses
 *       (without the zk balancer attributes), same policy and transport: what a channel with
 *       {@code instances} READY subconns holds without ZooKeeper.
 * </ol>
 *
 * <p>Arguments: {@code --channels N}, {@code --instances I}, {@code --out FILE}. Not thread-safe (a
 * main).
 */
public final class ZookeeperFootprint {
  private ZookeeperFootprint() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    int channels = 100;
    int instances = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--channels" -> channels = Integer.parseInt(args[++i]);
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("argument: " + args[i]
            + " (expected: --channels N, --instances I, --out FILE)");
      }
    }
    if (channels < 2) {
      throw new IllegalArgumentException("--channels: " + channels + " (expected: at least 2)");
    }
    long started = System.nanoTime();
    OtherCpu cpuStart;
    ReadyTransportFactory transports = new ReadyTransportFactory();
    StringBuilder md = new StringBuilder("## zk resolver: memory per watched service\n\n");
    try (ZookeeperServerMain.Child zk = ZookeeperServerMain.start(channels, instances)) {
      cpuStart = OtherCpu.now(); // the child has registered everything: from here on ZooKeeper only serves
      final int n = channels;
      final int each = instances;
      IntFunction<String> zkTarget = s -> zk.target(ZookeeperServerMain.service(s));

      // Warm-up: classes, static state, the session's machinery, once each way.
      ResolverFootprints.closeAll(List.of(zkChannel(zk.target(ZookeeperServerMain.WARM_UP), each, transports)));
      ResolverFootprints.closeAll(List.of(ResolverFootprints.manualChannel(addresses(n, each), each, transports)));
      int registrarOnly = 1;
      zk.awaitSessions(registrarOnly);

      Reading zero = Reading.take();
      List<ManagedChannel> zkChannels = new ArrayList<>(n);
      zkChannels.add(zkChannel(zkTarget.apply(0), each, transports));
      Reading first = Reading.take();
      for (int s = 1; s < n; s++) {
        zkChannels.add(zkChannel(zkTarget.apply(s), each, transports));
      }
      Reading all = Reading.take();
      int sessions = zk.sessions();
      long sendThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().contains("-SendThread(")).count();
      long eventThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().endsWith("-EventThread")).count();

      ResolverFootprints.closeAll(zkChannels);
      zkChannels = null;
      zk.awaitSessions(registrarOnly);
      Reading closed = Reading.take();

      List<ManagedChannel> manualChannels = new ArrayList<>(n);
      Reading manualZero = Reading.take();
      for (int s = 0; s < n; s++) {
        manualChannels.add(ResolverFootprints.manualChannel(addresses(s, each), each, transports));
      }
      Reading manualAll = Reading.take();
      ResolverFootprints.closeAll(manualChannels);
      manualChannels = null;

      double perService = (double) (all.heap - zero.heap) / n;
      double further = (double) (all.heap - first.heap) / (n - 1);
      double manual = (double) (manualAll.heap - manualZero.heap) / n;
      md.append(String.format(Locale.ROOT, "%d channels, each watching its own service of %d instances"
          + " (curator-x-discovery), READY over them with round_robin, transports that connect nowhere;"
          + " ZooKeeper 3.9 (curator-test `TestingServer`) and the registrar in a child JVM on 127.0.0.1"
          + " (not counted); %s %s, %s. Heap: used heap after GC until it settles.%n%n",
          n, each, System.getProperty("java.vm.name"), System.getProperty("java.version"),
          ManagementFactory.getGarbageCollectorMXBeans().get(0).getName()));
      md.append("| what | heap bytes | of | each |\n|---|---:|---:|---:|\n");
      md.append(row("zk channels: per watched service, the shared session included (all N vs. none)",
          all.heap - zero.heap, n));
      md.append(row("zk channel: the first (opens the session)", first.heap - zero.heap, 1));
      md.append(row("zk channel: each further one (the session shared)", all.heap - first.heap, n - 1));
      md.append(row("reference: channel with the manual resolver, the same " + each + " addresses",
          manualAll.heap - manualZero.heap, n));
      md.append(String.format(Locale.ROOT, "| the zk resolver's share per service (each further zk"
          + " channel − the reference) | | | %,.0f |%n", further - manual));
      md.append(String.format(Locale.ROOT, "| the session, about (the first zk channel − each further one) |"
          + " | | %,.0f |%n", (double) (first.heap - zero.heap) - further));
      md.append(row("left after closing the zk channels (session closed)", closed.heap - zero.heap, n));
      md.append(String.format(Locale.ROOT, "%nSessions on the server with the %d zk channels open: %d"
          + " (the registrar's, in the child, and **%d** for all %d resolvers); before and after: %d."
          + " ZooKeeper client threads in this JVM with them open: %d `SendThread`, %d `EventThread`;"
          + " live threads: %d before, %d with them open (+%d). NIO direct buffers: %+,d bytes with"
          + " them open. Per watched service, all included: **%,.0f bytes**. Other processes used"
          + " %.2f cores once the child had registered everything (its ZooKeeper serving the channels"
          + " among them). Run took %.1f s.%n",
          n, sessions, sessions - registrarOnly, n, registrarOnly, sendThreads, eventThreads,
          zero.threads, all.threads, all.threads - zero.threads, all.direct - zero.direct, perService,
          OtherCpu.now().coresSince(cpuStart), (System.nanoTime() - started) / 1e9));
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

  private static String row(String what, long heap, int of) {
    return String.format(Locale.ROOT, "| %s | %,d | %d | %,.0f |%n", what, heap, of, (double) heap / of);
  }

  private static List<Address> addresses(int service, int instances) {
    return ZookeeperRegistry.addresses(instances, ZookeeperServerMain.port(service, instances, 0));
  }

  /** A zk channel, READY over its {@code instances} subconns. */
  private static ManagedChannel zkChannel(String target, int instances, ReadyTransportFactory transports)
      throws Exception {
    return ResolverFootprints.ready(ChannelBuilder.forTarget(target), instances, transports);
  }

  /** Settled used heap, live threads and NIO direct memory at one moment. Immutable. */
  private record Reading(long heap, int threads, long direct) {
    /** Polls settled readings every 100 ms (up to 15 s) until the heap has not moved for a second. */
    static Reading take() {
      return ResolverFootprints.settled(Reading::once, Reading::heap);
    }

    private static Reading once() {
      long used = ResolverFootprints.usedHeapAfterGc();
      long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
      return new Reading(used, ManagementFactory.getThreadMXBean().getThreadCount(), direct);
    }
  }
}
