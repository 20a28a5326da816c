package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.backend.TestBackend;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers for end-to-end tests of our channel against {@link TestBackend}s. */
final class Channels {

  private Channels() {}

  /** A plaintext channel to one backend, through the {@code passthrough} resolver. */
  static ChannelBuilder to(TestBackend backend) {
    return ChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port()).usePlaintext();
  }

  /** Fresh for each call: a deadline is a point in time. */
  static CallOptions tenSeconds() {
    return CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10));
  }

  /** Shuts the channel down at once and checks that it terminates. */
  static void closeAndAwait(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow();
    if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new AssertionError("channel did not terminate within 10 s: " + channel);
    }
  }

  /** Waits up to 10 s for {@code condition} (see {@link Await}). */
  static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(10), condition);
  }
}
