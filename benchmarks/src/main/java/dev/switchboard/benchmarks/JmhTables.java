package dev.switchboard.benchmarks;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH result files ({@code -rf json}) into Markdown: one table per file, a row per parameter
 * combination, a column per benchmark method ("score ± error unit"), and for the picker the
 * ratio of two threads to one, the figure that shows whether a second caller slows a pick down.
 *
 * <p>Usage: {@code JmhTables FILE.json...}; the tables go to standard output.
 */
public final class JmhTables {

  private JmhTables() {}

  public static void main(String[] args) throws IOException {
    StringBuilder out = new StringBuilder("## JMH (quick profile: 1 fork)\n");
    for (String file : args) {
      out.append('\n').append(table(JSON.std.listFrom(Files.readString(Path.of(file)))));
    }
    System.out.print(out);
  }

  @SuppressWarnings("unchecked")
  static String table(List<Object> results) {
    // row key (the parameters) -> method -> cell; insertion order is JMH's order.
    Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
    Map<String, Map<String, String>> cells = new LinkedHashMap<>();
    List<String> methods = new ArrayList<>();
    List<String> paramNames = new ArrayList<>();
    String className = "";
    for (Object each : results) {
      Map<String, Object> result = (Map<String, Object>) each;
      String benchmark = (String) result.get("benchmark");
      className = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1,
          benchmark.lastIndexOf('.'));
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      if (!methods.contains(method)) {
        methods.add(method);
      }
      Map<String, Object> params = (Map<String, Object>) result.getOrDefault("params", Map.of());
      params.keySet().stream().filter(name -> !paramNames.contains(name)).forEach(paramNames::add);
      String row = String.join(" | ", params.values().stream().map(String::valueOf).toList());
      Map<String, Object> metric = (Map<String, Object>) result.get("primaryMetric");
      double score = ((Number) metric.get("score")).doubleValue();
      double error = metric.get("scoreError") instanceof Number n ? n.doubleValue() : Double.NaN;
      scores.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(method, score);
      cells.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(method,
          format(score) + " ± " + format(error) + " " + metric.get("scoreUnit"));
    }
    boolean threadRatio = methods.contains("pickOneThread") && methods.contains("pickTwoThreads");
    List<String> header = new ArrayList<>(paramNames);
    header.addAll(methods);
    if (threadRatio) {
      header.add("2 threads / 1 thread");
    }
    StringBuilder table = new StringBuilder("### ").append(className).append("\n\n");
    table.append(row(header)).append(row(header.stream().map(name -> "---").toList()));
    cells.forEach((params, byMethod) -> {
      List<String> row = new ArrayList<>(List.of(params));
      methods.forEach(method -> row.add(byMethod.getOrDefault(method, "")));
      if (threadRatio) {
        Map<String, Double> score = scores.get(params);
        row.add(format(score.get("pickTwoThreads") / score.get("pickOneThread")));
      }
      table.append(row(row));
    });
    return table.toString();
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String format(double value) {
    if (Double.isNaN(value)) {
      return "?";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.3g", value);
  }
}
