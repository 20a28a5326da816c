package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition by polling it with a deadline, for tests that cannot be told when something
 * happened (a counter on a real server, a state reached on another thread).
 *
 * <p>Thread-safe (stateless).
 *
 * @since 0.1
 */
public final class Await {
  private static final long POLL_MILLIS = 5;

  private Await() {}

  /**
   * Returns once {@code condition} holds, polling every 5 ms.
   *
   * @throws AssertionError naming {@code what} if it does not hold within {@code timeout}
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    requireNonNull(what, "what");
    requireNonNull(condition, "condition");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
