package dev.switchboard.balancer.roundrobin.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A counter split into stripes so that threads on different cores count without contending.
 *
 * <p>A single shared {@code AtomicInteger} (grpc-java's choice for round_robin) is correct, but
 * every caller thread increments the same cache line: with several cores picking at once, the line
 * moves from core to core on every pick and each pick waits for it. Here there are {@link #STRIPES}
 * counters (a power of two, at least the number of processors, at most 16), each in its own
 * 128-byte block so that neither a cache line nor an adjacent-line prefetch pair is shared. A thread
 * uses the stripe of its thread id; consecutive ids (the threads of a pool) land on different
 * stripes. Two threads that share a stripe still count correctly: {@code getAndIncrement} never
 * retries, it only contends. A {@code ThreadLocal} counter was rejected: its lookup costs more than
 * the increment.
 *
 * <p>Each stripe counts up by one per call, so a caller that takes {@code next() % n} rotates
 * evenly through {@code 0..n-1} within every stripe, and the whole is even to within one per stripe.
 * The counters are {@code long}s and do not wrap.
 *
 * <p>Thread-safe and lock-free; {@link #next()} allocates nothing.
 */
final class StripedCounter {

  /** Longs per stripe: 128 bytes, a pair of cache lines. */
  private static final int PAD = 16;

  /** The number of stripes: a power of two, at least the processors, at most 16. */
  static final int STRIPES = stripesFor(Runtime.getRuntime().availableProcessors());

  // Stripe s lives at index (s + 1) * PAD: the first block keeps the counters away from the array
  // header and from whatever object the allocator put before it.
  private final AtomicLongArray counters = new AtomicLongArray((STRIPES + 1) * PAD);

  static int stripesFor(int processors) {
    return processors <= 1 ? 1 : Math.min(16, Integer.highestOneBit(processors - 1) << 1);
  }

  /** Returns the calling thread's stripe's count and adds one to it; never negative. */
  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same value.
  long next() {
    int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
    return counters.getAndIncrement((stripe + 1) * PAD);
  }
}
