package dev.switchboard.balancer.roundrobin.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A counter split into stripes so that threads on different cores count without contending.
 *
 * <p>A single shared {@code AtomicInteger} (grpc-java's choice for round_robin) is correct, but
 * every caller thread increments the same cache line: with several cores picking at once, the line
 * moves from core to core on every pick and each pick waits for it. Here there are {@link #STRIPES}
 * counters (a power of two, at least the number of processors, at most 16), each in its own
 * 128-byte block so that neither a cache line nor an adjacent-line prefetch pair is shared.
 *
 * <p>A thread starts on the stripe of its thread id (consecutive ids, the threads of a pool, land
 * on different stripes) and stays there while it counts alone. When its compare-and-set fails,
 * another thread is counting on the same stripe: it counts on the next stripe instead, then and
 * from then on, as {@code LongAdder} moves a thread to another cell on contention. Two busy threads
 * that started on one stripe so end up on two, whatever their ids. The thread's stripe is kept in a
 * {@code ThreadLocal} shared by all counters (a hint only: any stripe counts correctly).
 *
 * <p>Each stripe counts up by one per call, so a caller that takes {@code next() % n} rotates
 * evenly through {@code 0..n-1} within every stripe, and the whole is even to within one per stripe.
 * The counters are {@code long}s and do not wrap.
 *
 * <p>Thread-safe and lock-free; {@link #next()} allocates nothing once the thread has its stripe.
 */
final class StripedCounter {

  /** Longs per stripe: 128 bytes, a pair of cache lines. */
  private static final int PAD = 16;

  /** The number of stripes: a power of two, at least the processors, at most 16. */
  static final int STRIPES = stripesFor(Runtime.getRuntime().availableProcessors());

  /**
   * The calling thread's stripe number, moved on contention; shared by every counter, each taking
   * it modulo its number of stripes.
   */
  private static final ThreadLocal<int[]> STRIPE = ThreadLocal.withInitial(StripedCounter::homeStripe);

  private final int mask;
  // Stripe s lives at index (s + 1) * PAD: the first block keeps the counters away from the array
  // header and from whatever object the allocator put before it.
  private final AtomicLongArray counters;

  StripedCounter() {
    this(STRIPES);
  }

  /** A counter with {@code stripes} stripes, a power of two; for tests. */
  StripedCounter(int stripes) {
    if (Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes: " + stripes + " (expected: a power of two)");
    }
    this.mask = stripes - 1;
    this.counters = new AtomicLongArray((stripes + 1) * PAD);
  }

  static int stripesFor(int processors) {
    return processors <= 1 ? 1 : Math.min(16, Integer.highestOneBit(processors - 1) << 1);
  }

  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same value.
  private static int[] homeStripe() {
    return new int[] {(int) Thread.currentThread().getId()};
  }

  /** Puts the calling thread on stripe {@code stripe} (modulo each counter's stripes); for tests. */
  static void startOn(int stripe) {
    STRIPE.get()[0] = stripe;
  }

  /** Returns the stripe the calling thread counts on now in this counter; for tests. */
  int currentStripe() {
    return STRIPE.get()[0] & mask;
  }

  /** Returns the sum of all stripes: how many counts were taken; for tests. */
  long sum() {
    long sum = 0;
    for (int s = 0; s <= mask; s++) {
      sum += counters.get((s + 1) * PAD);
    }
    return sum;
  }

  /** Returns a count of the calling thread's stripe and adds one to it; never negative. */
  long next() {
    int[] stripe = STRIPE.get();
    int index = ((stripe[0] & mask) + 1) * PAD;
    long count = counters.get(index);
    if (counters.compareAndSet(index, count, count + 1)) {
      return count;
    }
    // Another thread counts here: move on, for this count and the next ones.
    int moved = stripe[0] + 1;
    stripe[0] = moved;
    return counters.getAndIncrement(((moved & mask) + 1) * PAD);
  }
}
