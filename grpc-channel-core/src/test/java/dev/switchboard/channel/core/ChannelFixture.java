package dev.switchboard.channel.core;

import dev.switchboard.channel.api.ManagedChannel;
import java.util.concurrent.TimeUnit;

/**
 * A channel to {@code test:///service} on the in-memory transport with a manual clock; the test
 * resolver is registered. Close it to shut the channel down and check that it terminates.
 */
final class ChannelFixture implements AutoCloseable {
  final FakeClock clock = new FakeClock();
  final InMemoryTransportFactory transport = new InMemoryTransportFactory(clock.scheduler());
  final TestSupport.TestResolverProvider resolverProvider = new TestSupport.TestResolverProvider();
  private ManagedChannel channel;

  ChannelBuilder builder() {
    return ChannelBuilder.forTarget("test:///service")
        .pluginRegistry(TestSupport.builtinsOnly())
        .resolverProvider(resolverProvider)
        .scheduler(clock.scheduler())
        .ticker(clock)
        .transportFactory(transport);
  }

  ManagedChannel channel() {
    if (channel == null) {
      channel = builder().build();
    }
    return channel;
  }

  ManagedChannel build(ChannelBuilder builder) {
    channel = builder.build();
    return channel;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
      try {
        if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
          throw new AssertionError("channel did not terminate: " + channel);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for termination", e);
      }
    }
  }
}
