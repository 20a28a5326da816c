package dev.switchboard.benchmarks.footprint;

import dev.switchboard.benchmarks.GrpcJavaMethods;
import dev.switchboard.benchmarks.ResolverFootprints;
import dev.switchboard.benchmarks.coldstart.TestBackendMain;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.ManualResolver;
import dev.switchboard.channel.testing.backend.TestMethods;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Retained memory: per idle subconn and per READY connection in one real channel (policy
 * {@code footprint_subconns}, {@link FootprintBalancerProvider}), and per READY channel, ours
 * against grpc-java's ManagedChannel (grpc-netty-shaded), against a {@link TestBackendMain} in
 * another JVM. Heap: used heap after repeated {@code System.gc()} until it settles, before and after,
 * divided by N. A plain main, not JMH: the figure is one before/after difference of a live object
 * graph, not a rate.
 *
 * <p>Arguments: {@code --out FILE}, {@code --n N} (subconns and connections, default 1000),
 * {@code --channels M} (default 200). Not thread-safe (a main).
 */
public final class Footprint {
  private static final Attributes.Key<Integer> INDEX = Attributes.Key.create("footprint.index");

  private Footprint() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    int n = 1000;
    int channels = 200;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--n" -> n = Integer.parseInt(args[++i]);
        case "--channels" -> channels = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("argument: " + args[i]
            + " (expected: --out FILE, --n N, --channels M)");
      }
    }
    long t0 = System.nanoTime();
    StringBuilder md = new StringBuilder("## Memory footprint\n\n");
    md.append(String.format(Locale.ROOT, "N = %d subconns / connections, M = %d channels; backend: a"
        + " TestBackend in its own JVM; %s %s, %s.%n%n", n, channels,
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        ManagementFactory.getGarbageCollectorMXBeans().get(0).getName()));
    md.append("| what | heap bytes each | Netty direct bytes each | N |\n|---|---:|---:|---:|\n");
    try (TestBackendMain.Child backend = TestBackendMain.start()) {
      InetSocketAddress addr = new InetSocketAddress("127.0.0.1", backend.port());
      // Warm-up: classes, static state, the shared event loops and buffer pools of both clients.
      subconnRun(addr, 4, true, null);
      subconnRun(addr, 4, false, null);
      closeAll(ourChannels(addr, 4));
      closeAllGrpc(grpcChannels(addr, 4));

      subconnRun(addr, n, false, md);
      subconnRun(addr, n, true, md);

      Snapshot before = Snapshot.take();
      List<ManagedChannel> ours = ourChannels(addr, channels);
      Snapshot oursAfter = Snapshot.take();
      closeAll(ours);
      ours = null;
      Snapshot oursClosed = Snapshot.take();
      double oursEach = (double) (oursAfter.heap - before.heap) / channels;
      md.append(row("READY channel, ours (one call done)", oursEach,
          (double) (oursAfter.ourDirect - before.ourDirect) / channels, channels));

      Snapshot gBefore = Snapshot.take();
      List<io.grpc.ManagedChannel> grpc = grpcChannels(addr, channels);
      Snapshot gAfter = Snapshot.take();
      closeAllGrpc(grpc);
      grpc = null;
      double grpcEach = (double) (gAfter.heap - gBefore.heap) / channels;
      md.append(row("READY channel, grpc-java 1.85 (grpc-netty-shaded, one call done)", grpcEach,
          (double) (gAfter.grpcDirect - gBefore.grpcDirect) / channels, channels));
      md.append(String.format(Locale.ROOT, "%nChannel heap, ours / grpc-java: **%.2f**. Heap left"
          + " after shutting our %d channels down, per channel: %.0f bytes.%n", oursEach / grpcEach,
          channels, (double) (oursClosed.heap - before.heap) / channels));
    }
    md.append(String.format(Locale.ROOT, "%nDirect memory: our Netty's pooled allocator"
        + " (`PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()`, arenas count whole chunks);"
        + " grpc-java: its shaded Netty's `PlatformDependent.usedDirectMemory()`. Run took %.1f s.%n",
        (System.nanoTime() - t0) / 1e9));
    System.out.print(md);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, md);
      System.out.println("wrote " + out);
    }
    System.exit(0);
  }

  /** One channel, one subconn, then N more by a resolver update: the difference per subconn. */
  private static void subconnRun(InetSocketAddress addr, int n, boolean connect, StringBuilder md)
      throws InterruptedException {
    List<Address> addresses = new ArrayList<>(n + 1);
    for (int i = 0; i <= n; i++) {
      addresses.add(Address.newBuilder(addr).attributes(Attributes.newBuilder().set(INDEX, i).build()).build());
    }
    ManualResolver resolver = ManualResolver.create();
    resolver.setInitialState(ResolverState.newBuilder().addresses(addresses.subList(0, 1)).build());
    ManagedChannel channel = ChannelBuilder.forTarget(resolver.target())
        .usePlaintext()
        .ignoreResolverServiceConfig()
        .defaultServiceConfig("{\"loadBalancingConfig\":[{\"footprint_subconns\":{\"connect\":"
            + connect + "}}]}")
        .build();
    FootprintBalancerProvider.CREATED.set(0);
    FootprintBalancerProvider.READY.set(0);
    channel.state(true);
    IntSupplier count = connect ? FootprintBalancerProvider.READY::get : FootprintBalancerProvider.CREATED::get;
    await(count, 1);
    Snapshot before = Snapshot.take();
    resolver.updateState(ResolverState.newBuilder().addresses(addresses).build());
    await(count, n + 1);
    Snapshot after = Snapshot.take();
    channel.close();
    if (md != null) {
      md.append(row(connect ? "READY connection (subconn connected, in one channel)"
              : "idle subconn (created, never connected)",
          (double) (after.heap - before.heap) / n, (double) (after.ourDirect - before.ourDirect) / n, n));
    }
  }

  private static List<ManagedChannel> ourChannels(InetSocketAddress addr, int m) {
    List<ManagedChannel> list = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      ManagedChannel ch = ChannelBuilder.forTarget("127.0.0.1:" + addr.getPort()).usePlaintext().build();
      ClientCalls.blockingUnaryCall(ch, TestMethods.HEALTH_CHECK, CallOptions.DEFAULT, "");
      list.add(ch);
    }
    return list;
  }

  private static List<io.grpc.ManagedChannel> grpcChannels(InetSocketAddress addr, int m) {
    List<io.grpc.ManagedChannel> list = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      io.grpc.ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + addr.getPort(),
          InsecureChannelCredentials.create()).build();
      io.grpc.stub.ClientCalls.blockingUnaryCall(ch, GrpcJavaMethods.HEALTH_CHECK, io.grpc.CallOptions.DEFAULT, new byte[0]);
      list.add(ch);
    }
    return list;
  }

  private static void closeAll(List<ManagedChannel> list) {
    list.forEach(ManagedChannel::shutdownNow);
    list.forEach(ManagedChannel::close);
  }

  private static void closeAllGrpc(List<io.grpc.ManagedChannel> list) throws InterruptedException {
    list.forEach(io.grpc.ManagedChannel::shutdownNow);
    for (io.grpc.ManagedChannel ch : list) {
      ch.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static void await(IntSupplier count, int target) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (count.getAsInt() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited 60 s: " + count.getAsInt() + " of " + target);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static String row(String what, double heapEach, double directEach, int n) {
    return String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %d |%n", what, heapEach, directEach, n);
  }

  /** Settled used heap and direct memory at one moment. Immutable. */
  private record Snapshot(long heap, long ourDirect, long grpcDirect) {
    /**
     * Polls settled readings (every 100 ms, up to 15 s) until the heap has not moved for a second:
     * connections closed by the previous phase are torn down asynchronously (seen: ~7 MB of 2 000
     * closed connections freed within about a second after {@code close()} returned), and would
     * otherwise be freed inside the next measurement.
     */
    static Snapshot take() {
      Snapshot stable = once();
      long stableSince = System.nanoTime();
      long deadline = stableSince + 15_000_000_000L;
      while (System.nanoTime() - stableSince < 1_000_000_000L && System.nanoTime() < deadline) {
        LockSupport.parkNanos(100_000_000L); // the poll interval
        Snapshot next = once();
        if (Math.abs(next.heap - stable.heap) >= 16 * 1024 || next.ourDirect != stable.ourDirect) {
          stable = next;
          stableSince = System.nanoTime();
        }
      }
      return stable;
    }

    private static Snapshot once() {
      long used = ResolverFootprints.usedHeapAfterGc();
      return new Snapshot(used, PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(),
          io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent.usedDirectMemory());
    }
  }
}
