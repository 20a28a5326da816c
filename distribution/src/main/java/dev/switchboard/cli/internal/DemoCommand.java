package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard demo}: three {@link dev.switchboard.channel.testing.backend.TestBackend}s on loopback,
 * a channel over them with {@code round_robin}, and the {@link DemoScenario}.
 *
 * <p>The resolver is a {@link FixedResolverProvider}, handed to the builder, holding the
 * three addresses. Calls are wait-for-ready: a call picked while the channel has not yet seen a
 * backend go waits for a ready one rather than failing, which is what the story shows.
 *
 * <p>Not thread-safe: runs once on the main thread.
 */
final class DemoCommand {
  static final int BACKENDS = 3;
  static final int CALLS_PER_PHASE = 30;
  /** Calls in flight in each phase, so that some are under way when a backend stops. */
  static final int CONCURRENCY = 4;
  /** Long enough for a reconnect after round_robin's first backoffs (1 s, then 1.6 s, …). */
  static final Duration REJOIN_TIMEOUT = Duration.ofSeconds(20);
  static final Duration CALL_DEADLINE = Duration.ofSeconds(5);

  private final PrintStream out;

  DemoCommand(PrintStream out) {
    this.out = requireNonNull(out, "out");
  }

  void run() throws CliException, InterruptedException {
    try (TestBackendFleet fleet = TestBackendFleet.start(BACKENDS)) {
      FixedResolverProvider resolver = new FixedResolverProvider(
          ResolverState.newBuilder().addresses(fleet.addresses()).build());
      out.println("backends: " + fleet.names() + " at " + fleet.addresses().stream()
          .map(a -> a.socketAddress().toString()).toList() + ", policy round_robin");
      ManagedChannel channel = ChannelBuilder.forTarget(resolver.target())
          .resolverProvider(resolver)
          .defaultLoadBalancingPolicy("round_robin")
          .usePlaintext()
          .build();
      try {
        Caller caller = new ChannelCaller<>(channel, TestMethods.ECHO,
            TestMethods.EchoRequest.of("demo"),
            // The story is told by name; a failed call has none.
            (remote, response) -> response == null ? CallStats.NO_BACKEND : response.backend(),
            CallOptions.DEFAULT.withWaitForReady(), CALL_DEADLINE);
        new DemoScenario(fleet, caller, out, CALLS_PER_PHASE, CONCURRENCY, REJOIN_TIMEOUT).run();
        out.println("done: no failed call, every backend served");
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
