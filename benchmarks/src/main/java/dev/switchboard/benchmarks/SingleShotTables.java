package dev.switchboard.benchmarks;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the JMH results of a resolver's single-shot benchmark ({@code -rf json}) into a Markdown
 * table: a row per benchmark and parameters, with JMH's score (the mean of the single shots) and its
 * 99.9% error, the median, min and max over all single shots of all forks, and the fork and shot
 * counts; the heading says "not for quoting" below {@value #QUOTABLE_FORKS} forks. The zk and consul
 * benchmarks' {@code …Tables} mains give it their titles and row labels.
 *
 * <p>Thread-safe (static methods only).
 */
public final class SingleShotTables {
  /** The fewest forks of a run whose figures may be quoted (as {@code JmhTables}). */
  static final int QUOTABLE_FORKS = 3;

  private SingleShotTables() {}

  /** Reads JMH's JSON results from {@code file}. */
  public static List<Object> read(String file) throws IOException {
    return JSON.std.listFrom(Files.readString(Path.of(file)));
  }

  /**
   * Renders {@code results} under the heading {@code title}; {@code label} names a row from
   * {@code method:resolverParameter} (the parameter empty when absent), or returns null for the
   * default ({@code method params}).
   */
  public static String render(List<Object> results, String title, String benchmarkClass,
      Function<String, String> label) {
    int forks = results.stream().mapToInt(r -> ((Number) asMap(r).get("forks")).intValue()).min().orElse(0);
    StringBuilder md = new StringBuilder("## " + title + " (JMH");
    md.append(forks >= QUOTABLE_FORKS ? ", " + forks + " forks)\n\n"
        : ", quick profile: " + forks + " fork(s), not for quoting)\n\n");
    if (!results.isEmpty()) {
      Map<String, Object> first = asMap(results.get(0));
      md.append("`" + benchmarkClass + "`, single shots: forks ").append(first.get("forks"))
          .append(", warm-up ").append(first.get("warmupIterations")).append(", measured ")
          .append(first.get("measurementIterations")).append(" per fork; JVM flags `")
          .append(String.join(" ", ((List<?>) first.getOrDefault("jvmArgs", List.of())).stream()
              .map(String::valueOf).toList()))
          .append("`. ms; median, min and max over all measured shots.\n\n");
    }
    md.append("| what | instances | score ± error | median | min | max | shots |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Object each : results) {
      Map<String, Object> result = asMap(each);
      String benchmark = (String) result.get("benchmark");
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      Map<String, Object> params = asMap(result.getOrDefault("params", Map.of()));
      String what = label.apply(method + ":" + params.getOrDefault("resolver", ""));
      if (what == null) {
        what = method + " " + params;
      }
      Map<String, Object> metric = asMap(result.get("primaryMetric"));
      List<Double> shots = new ArrayList<>();
      for (Object fork : (List<?>) metric.get("rawData")) {
        for (Object shot : (List<?>) fork) {
          shots.add(((Number) shot).doubleValue());
        }
      }
      shots.sort(null);
      double error = metric.get("scoreError") instanceof Number n ? n.doubleValue() : Double.NaN;
      md.append(String.format(Locale.ROOT, "| %s | %s | %s ± %s | %s | %s | %s | %d |%n", what,
          params.getOrDefault("instances", ""), format(((Number) metric.get("score")).doubleValue()),
          format(error), format(median(shots)), format(shots.get(0)), format(shots.get(shots.size() - 1)),
          shots.size()));
    }
    return md.toString();
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(double ms) {
    return Double.isNaN(ms) ? "–" : String.format(Locale.ROOT, ms >= 100 ? "%.0f" : ms >= 10 ? "%.1f" : "%.2f", ms);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
