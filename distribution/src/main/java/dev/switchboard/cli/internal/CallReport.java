package dev.switchboard.cli.internal;

import dev.switchboard.channel.api.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link CallStats.Snapshot} for people: the spread over backends with bars, the status
 * counts, and latency percentiles.
 *
 * <pre>
 * 100 calls in 1.25 s (80.0/s), 0 failed
 * backends:
 *   10.0.0.1:50051  34  ##############################
 *   10.0.0.2:50051  33  #############################
 *   10.0.0.3:50051  33  #############################
 * status:
 *   OK  100
 * latency: p50 1.20 ms, p90 2.31 ms, p99 4.02 ms, max 5.10 ms
 * </pre>
 *
 * <p>Thread-safe (stateless).
 */
final class CallReport {
  /** The width of the longest bar, in characters. */
  static final int BAR_WIDTH = 30;

  private CallReport() {}

  /** Returns the report of {@code stats}, gathered over {@code elapsed}. */
  static String render(CallStats.Snapshot stats, Duration elapsed) {
    StringBuilder sb = new StringBuilder();
    double seconds = elapsed.toNanos() / 1e9;
    sb.append(stats.calls()).append(stats.calls() == 1 ? " call in " : " calls in ")
        .append(String.format(Locale.ROOT, "%.2f s", seconds));
    if (seconds > 0) {
      sb.append(String.format(Locale.ROOT, " (%.1f/s)", stats.calls() / seconds));
    }
    sb.append(", ").append(stats.failures()).append(" failed\n");

    int max = stats.perBackend().values().stream().mapToInt(Integer::intValue).max().orElse(0);
    Table backends = new Table("", "", "");
    stats.perBackend().forEach((backend, n) -> backends.add(backend, Integer.toString(n), bar(n, max)));
    sb.append("backends:\n").append(indentBody(backends.render()));

    Table codes = new Table("", "");
    for (Map.Entry<Status.Code, Integer> e : stats.perCode().entrySet()) {
      codes.add(e.getKey().name(), Integer.toString(e.getValue()));
    }
    sb.append("status:\n").append(indentBody(codes.render()));

    sb.append("latency: p50 ").append(millis(stats.percentile(50)))
        .append(", p90 ").append(millis(stats.percentile(90)))
        .append(", p99 ").append(millis(stats.percentile(99)))
        .append(", max ").append(millis(stats.percentile(100))).append('\n');
    return sb.toString();
  }

  /** Returns a bar of {@code n} against {@code max}; any non-zero count gets at least one mark. */
  static String bar(int n, int max) {
    if (n <= 0 || max <= 0) {
      return "";
    }
    return "#".repeat(Math.max(1, (int) Math.round((double) n * BAR_WIDTH / max)));
  }

  /** Returns nanoseconds as milliseconds with two decimals. */
  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  /** Drops the (empty) header line of a headerless table and indents the rows by two spaces. */
  private static String indentBody(String table) {
    StringBuilder sb = new StringBuilder();
    table.lines().skip(1).forEach(l -> sb.append("  ").append(l).append('\n'));
    return sb.toString();
  }
}
