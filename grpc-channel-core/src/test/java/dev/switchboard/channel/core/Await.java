package dev.switchboard.channel.core;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a deadline instead of sleeping for it; for every test package of core. */
public final class Await {
  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, Duration.ofSeconds(10), condition);
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        StringBuilder dump = new StringBuilder("timed out waiting for: " + what + "\nthreads:\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
          if (thread.getName().startsWith("in-memory") || thread.getName().startsWith("switchboard")) {
            dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
            for (StackTraceElement e : stack) {
              dump.append("    at ").append(e).append('\n');
            }
          }
        });
        throw new AssertionError(dump.toString());
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
