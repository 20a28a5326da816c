package dev.switchboard.balancer.grpclb.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * gRPC's connection backoff (1 s, ×1.6, jitter ±20 %, at most 120 s), for restarting the balancer
 * stream after it failed before the balancer answered.
 *
 * <p>Not thread-safe: used on the synchronization context.
 */
final class Backoff {
  static final long INITIAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(120);
  static final double MULTIPLIER = 1.6;
  static final double JITTER = 0.2;

  private long nextNanos = INITIAL_NANOS;

  /** Returns the next delay, jittered, and grows the one after. */
  long nextNanos() {
    long current = nextNanos;
    nextNanos = (long) Math.min(current * MULTIPLIER, MAX_NANOS);
    double jitter = ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
    return (long) (current * (1 + jitter));
  }

  /** Starts again at the initial delay. */
  void reset() {
    nextNanos = INITIAL_NANOS;
  }
}
