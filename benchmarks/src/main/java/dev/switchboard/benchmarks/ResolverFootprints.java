package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.internal.transport.ClientTransportFactory;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportFactoryOverride;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.testing.ManualResolver;
import java.lang.management.ManagementFactory;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What the footprint harnesses share (the zk and consul ones, and {@code footprint.Footprint}'s
 * heap reading): channels READY over transports that connect
 * nowhere (one shared factory), a reference channel with the {@code manual} resolver, closing, and
 * readings of the heap taken once it has settled.
 *
 * <p>Thread-safe (static methods only).
 */
public final class ResolverFootprints {

  private ResolverFootprints() {}

  /** A channel whose manual resolver hands over {@code addresses}, READY over them. */
  public static ManagedChannel manualChannel(List<Address> addresses, int instances,
      ReadyTransportFactory transports) throws Exception {
    ManualResolver resolver = ManualResolver.create();
    resolver.setInitialState(ResolverState.newBuilder().addresses(addresses).build());
    return ready(ChannelBuilder.forTarget(resolver.target()).resolverProvider(resolver.provider()),
        instances, transports);
  }

  /** The channel {@code builder} makes, READY over its {@code instances} subconns. */
  public static ManagedChannel ready(ChannelBuilder builder, int instances, ReadyTransportFactory transports)
      throws Exception {
    ReadyWatch watch = new ReadyWatch(instances);
    builder.balancerProvider(watch.provider()).defaultLoadBalancingPolicy(ReadyWatch.POLICY).usePlaintext();
    ManagedChannel channel = TransportFactoryOverride.set(builder, new Shared(transports)).build();
    channel.state(true);
    watch.allReady().get(60, TimeUnit.SECONDS);
    return channel;
  }

  /** Shuts the channels down and waits until they have terminated. */
  public static void closeAll(List<ManagedChannel> channels) throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels) {
      if (!channel.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("channel did not terminate: " + channel);
      }
    }
  }

  /** One factory's transports for many channels: a channel's {@code close()} leaves it running. */
  private static final class Shared implements ClientTransportFactory {
    private final ClientTransportFactory delegate;

    Shared(ClientTransportFactory delegate) {
      this.delegate = delegate;
    }

    @Override
    public ManagedClientTransport newClientTransport(SocketAddress address, TransportOptions options) {
      return delegate.newClientTransport(address, options);
    }

    @Override
    public ScheduledExecutorService scheduledExecutor() {
      return delegate.scheduledExecutor();
    }

    @Override
    public void close() {
      // the run closes the shared factory at the end
    }
  }

  /**
   * Returns a reading taken by {@code once} when its heap (by {@code heap}) has not moved by 16 KiB
   * or more for a second, polled every 100 ms, for 15 s at most.
   */
  public static <R> R settled(Supplier<R> once, ToLongFunction<R> heap) {
    R stable = once.get();
    long stableSince = System.nanoTime();
    long deadline = stableSince + 15_000_000_000L;
    while (System.nanoTime() - stableSince < 1_000_000_000L && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000_000L); // the poll interval
      R next = once.get();
      if (Math.abs(heap.applyAsLong(next) - heap.applyAsLong(stable)) >= 16 * 1024) {
        stable = next;
        stableSince = System.nanoTime();
      }
    }
    return stable;
  }

  /** Returns the used heap after collections, once two in a row differ by less than 16 KiB. */
  public static long usedHeapAfterGc() {
    long prev = -1;
    long used = 0;
    for (int i = 0; i < 20; i++) {
      System.gc();
      used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (prev >= 0 && Math.abs(used - prev) < 16 * 1024) {
        break;
      }
      prev = used;
    }
    return used;
  }
}
