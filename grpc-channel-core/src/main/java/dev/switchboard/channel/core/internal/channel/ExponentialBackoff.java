package dev.switchboard.channel.core.internal.channel;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * gRPC's connection backoff (connection-backoff.md): 1 s initial, ×1.6 per attempt, ±20% jitter,
 * 120 s at most. Used for subconn reconnects and for re-resolution after a resolver error.
 *
 * <p>Not thread-safe: used on the channel's synchronization context.
 */
final class ExponentialBackoff {
  static final long INITIAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final double MULTIPLIER = 1.6;
  static final double JITTER = 0.2;
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(120);

  private long nextNanos = INITIAL_NANOS;

  /** Returns the delay before the next attempt and grows the following one. */
  long nextDelayNanos() {
    long current = nextNanos;
    nextNanos = Math.min((long) (current * MULTIPLIER), MAX_NANOS);
    double jitter = ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
    return (long) (current * (1 + jitter));
  }

  /** Returns the un-jittered delay the next call to {@link #nextDelayNanos()} is based on. */
  long peekNanos() {
    return nextNanos;
  }

  /** Starts again from the initial delay, after a success. */
  void reset() {
    nextNanos = INITIAL_NANOS;
  }
}
