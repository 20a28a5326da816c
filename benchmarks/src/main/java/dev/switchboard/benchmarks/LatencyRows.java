package dev.switchboard.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * One Markdown row of latency samples, as the resolvers' change-latency harnesses print them:
 * {@code | change | interval | p50 | p90 | p99 | min | max | samples |}, in ms, percentiles by
 * nearest rank.
 *
 * <p>Thread-safe (static methods only).
 */
public final class LatencyRows {

  private LatencyRows() {}

  /**
   * Appends the row of the first {@code n} of {@code nanos} to {@code md}, each figure in ms with
   * {@code decimals} decimals.
   */
  public static void append(StringBuilder md, String change, String interval, long[] nanos, int n, int decimals) {
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    String ms = "%." + decimals + "f";
    md.append(String.format(Locale.ROOT, "| %s | %s | " + ms + " | " + ms + " | " + ms + " | " + ms + " | " + ms
        + " | %d |%n", change, interval, rank(sorted, 0.50) / 1e6, rank(sorted, 0.90) / 1e6,
        rank(sorted, 0.99) / 1e6, sorted[0] / 1e6, sorted[n - 1] / 1e6, n));
  }

  /** Nearest rank: the smallest value with at least {@code q} of the samples at or below it. */
  private static long rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
