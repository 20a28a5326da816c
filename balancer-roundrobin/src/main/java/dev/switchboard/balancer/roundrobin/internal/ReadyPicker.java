package dev.switchboard.balancer.roundrobin.internal;

import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rotates calls over a snapshot of READY subconns, starting at a random position.
 *
 * <p>The picker reads the first {@code size} slots of a {@code PickResult[]} built by
 * {@link RoundRobinBalancer}: one result per subconn, created once when the subconn was. The
 * balancer only ever appends to an array that a picker has seen, beyond that picker's size, and
 * copies the array before it changes a slot, so each picker sees a fixed list.
 *
 * <p>The position comes from the balancer's {@link StripedCounter}, shared by all its pickers, plus
 * a random offset drawn when the picker is built: every picker starts at a random subconn, threads
 * on different cores do not contend for one counter (see {@link StripedCounter} for why not one
 * {@code AtomicInteger}), and building a picker costs O(1): no copy of the READY list and no
 * counter allocation. A burst of READY events therefore costs O(N) in all, where rebuilding an
 * O(N) picker per event, as grpc-java does, costs O(N²).
 *
 * <p>The hot path takes no lock and allocates nothing: one atomic increment, a remainder and an
 * array read.
 *
 * <p>Immutable; thread-safe.
 */
final class ReadyPicker implements Picker {

  private final PickResult[] results;
  private final int size;
  private final StripedCounter counter;
  private final int offset;

  /**
   * Creates a picker over {@code results[0..size)}, which the caller will not change.
   *
   * @throws IllegalArgumentException if {@code size} is not in 1..{@code results.length}
   */
  ReadyPicker(PickResult[] results, int size, StripedCounter counter) {
    if (size < 1 || size > results.length) {
      throw new IllegalArgumentException("size: " + size + " (expected: 1-" + results.length + ")");
    }
    this.results = results;
    this.size = size;
    this.counter = counter;
    this.offset = ThreadLocalRandom.current().nextInt(size);
  }

  @Override
  public PickResult pick(PickInfo info) {
    return results[(int) ((counter.next() + offset) % size)];
  }

  @Override
  public String toString() {
    return "ReadyPicker{size=" + size + "}";
  }
}
