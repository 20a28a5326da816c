package dev.switchboard.balancer.roundrobin.internal;

import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Rotates calls over a snapshot of READY subconns, starting at a random position.
 *
 * <p>The picker reads the first {@code size} slots of a {@code PickResult[]} built by
 * {@link RoundRobinBalancer}: one result per subconn, created once when the subconn was. The
 * balancer only ever appends to an array that a picker has seen, beyond that picker's size, and
 * copies the array before it changes a slot, so each picker sees a fixed list; building a picker
 * therefore costs O(1), not O(READY subconns), and a burst of READY events costs O(N) in all.
 *
 * <h2>The counter: why striped</h2>
 *
 * <p>A single shared {@code AtomicInteger} (grpc-java's choice) is correct but makes every caller
 * thread increment the same cache line: with several cores picking at once the line moves from
 * core to core on every pick, and each pick waits for it. Here the counter is split into
 * {@link #STRIPES} stripes (a power of two, at least the number of processors, at most 16), each on
 * its own 128-byte block so that neither a cache line nor an adjacent-line prefetch pair is shared.
 * A caller uses the stripe of its thread id; consecutive ids (thread pools) land on different
 * stripes. Two threads that share a stripe still pick correctly: {@code getAndIncrement} never
 * retries, it only contends. Each stripe starts at its own random index and rotates on its own, so
 * each stripe is exactly even and the whole is even to within one pick per stripe and subconn.
 * A {@code ThreadLocal} counter was rejected: its lookup costs more than the increment, and its
 * state would outlive the picker.
 *
 * <p>The hot path takes no lock and allocates nothing: a field read, one atomic increment, a
 * remainder and an array read. The counters are {@code long}s, so they do not wrap.
 *
 * <p>Immutable, except for the counters, which only steer the rotation; thread-safe.
 */
final class ReadyPicker implements Picker {

  /** Longs per stripe: 128 bytes, a pair of cache lines. */
  private static final int PAD = 16;

  /** The number of counter stripes: a power of two, at least the processors, at most 16. */
  static final int STRIPES = stripesFor(Runtime.getRuntime().availableProcessors());

  private final PickResult[] results;
  private final int size;
  private final AtomicLongArray counters;

  /**
   * Creates a picker over {@code results[0..size)}, which the caller will not change.
   *
   * @throws IllegalArgumentException if {@code size} is not in 1..{@code results.length}
   */
  ReadyPicker(PickResult[] results, int size) {
    if (size < 1 || size > results.length) {
      throw new IllegalArgumentException("size: " + size + " (expected: 1-" + results.length + ")");
    }
    this.results = results;
    this.size = size;
    // Stripe s lives at index (s + 1) * PAD: the first block keeps the counters away from the
    // array header and from whatever object sits before it.
    this.counters = new AtomicLongArray((STRIPES + 1) * PAD);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int s = 0; s < STRIPES; s++) {
      counters.set((s + 1) * PAD, random.nextInt(size));
    }
  }

  static int stripesFor(int processors) {
    return processors <= 1 ? 1 : Math.min(16, Integer.highestOneBit(processors - 1) << 1);
  }

  @Override
  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same value.
  public PickResult pick(PickInfo info) {
    int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
    long n = counters.getAndIncrement((stripe + 1) * PAD);
    return results[(int) (n % size)];
  }

  /** Returns how many READY subconns this picker rotates over. */
  int size() {
    return size;
  }

  @Override
  public String toString() {
    return "ReadyPicker{size=" + size + "}";
  }
}
