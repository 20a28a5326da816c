package dev.switchboard.cli.internal;

import dev.switchboard.channel.api.Status;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcomes of a run of calls: how many each backend served, how many ended with each status
 * code, and their latencies.
 *
 * <p>Thread-safe: calls complete on many threads; {@link #snapshot()} may be taken at any time.
 */
final class CallStats {
  /** The backend label of a call that reached no backend (it failed before a connection took it). */
  static final String NO_BACKEND = "(no backend)";

  private final Map<String, Integer> perBackend = new TreeMap<>();
  private final Map<Status.Code, Integer> perCode = new EnumMap<>(Status.Code.class);
  private long[] latencies = new long[64];
  private int count;

  /**
   * Records one call that ended with {@code code} after {@code latencyNanos}, answered by
   * {@code backend} (or {@link #NO_BACKEND}).
   */
  synchronized void record(String backend, Status.Code code, long latencyNanos) {
    perBackend.merge(backend, 1, Integer::sum);
    perCode.merge(code, 1, Integer::sum);
    if (count == latencies.length) {
      latencies = Arrays.copyOf(latencies, count * 2);
    }
    latencies[count++] = latencyNanos;
  }

  /** Returns the calls recorded so far. */
  synchronized int count() {
    return count;
  }

  /** Returns what has been recorded so far. */
  synchronized Snapshot snapshot() {
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    return new Snapshot(new TreeMap<>(perBackend), new EnumMap<>(perCode), sorted);
  }

  /**
   * Counts and sorted latencies at one moment. Immutable once made (its maps and array are copies
   * that nothing else holds).
   *
   * @param perBackend calls per backend label, sorted by label
   * @param perCode calls per status code
   * @param sortedLatencies every call's latency in nanoseconds, ascending
   */
  record Snapshot(
      Map<String, Integer> perBackend, Map<Status.Code, Integer> perCode, long[] sortedLatencies) {

    int calls() {
      return sortedLatencies.length;
    }

    /** Returns the calls that did not end OK. */
    int failures() {
      return calls() - perCode.getOrDefault(Status.Code.OK, 0);
    }

    /**
     * Returns the latency at {@code percentile} (0 &lt; p &le; 100) by the nearest-rank method, in
     * nanoseconds; 0 when nothing was recorded.
     */
    long percentile(double percentile) {
      if (!(percentile > 0 && percentile <= 100)) {
        throw new IllegalArgumentException("percentile: " + percentile + " (expected: (0, 100])");
      }
      if (sortedLatencies.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(percentile / 100 * sortedLatencies.length);
      return sortedLatencies[Math.max(rank, 1) - 1];
    }
  }
}
