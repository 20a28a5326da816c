package dev.switchboard.benchmarks;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns JMH result files ({@code -rf json}) into Markdown: one table per file, a row per parameter
 * combination, a column per benchmark method ("score ± error unit"), and, for the picker:
 *
 * <ul>
 *   <li>the ratio of each 2-thread method to {@code pickOneThread}: whether a second caller slows a
 *       pick down ({@code pickTwoThreadsSameStripe}: both callers on one stripe of our counter);
 *   <li>a second table, ours / grpc-java, for each policy that also ran as {@code grpc-java:<policy>}.
 * </ul>
 *
 * <p>The heading says how many forks the run had: figures are quoted only from runs with at least
 * {@value #QUOTABLE_FORKS} forks per benchmark ({@code scripts/bench.sh jmh-full}); a run with fewer
 * (the quick profile, {@code scripts/bench.sh jmh}) is headed "not for quoting". Each table also
 * names its warm-up and measurement settings, read from the results.
 *
 * <p>Usage: {@code JmhTables FILE.json...}; the tables go to standard output. Not thread-safe (a main).
 */
public final class JmhTables {
  /** The fewest forks per benchmark of a run whose figures may be quoted. */
  static final int QUOTABLE_FORKS = 3;

  /** The target for 10 000 addresses through a real channel, in ms. */
  private static final double CHANNEL_UPDATE_TARGET_MS = 50;

  private JmhTables() {}

  public static void main(String[] args) throws IOException {
    List<List<Object>> files = new ArrayList<>();
    for (String file : args) {
      files.add(JSON.std.listFrom(Files.readString(Path.of(file))));
    }
    System.out.print(render(files));
  }

  /** Returns the Markdown of all {@code files}, each a list of JMH results. */
  static String render(List<List<Object>> files) {
    int forks = Integer.MAX_VALUE;
    for (List<Object> results : files) {
      for (Object each : results) {
        forks = Math.min(forks, ((Number) asMap(each).get("forks")).intValue());
      }
    }
    boolean quotable = forks != Integer.MAX_VALUE && forks >= QUOTABLE_FORKS;
    StringBuilder out = new StringBuilder();
    if (quotable) {
      out.append("## JMH (").append(forks).append(" forks per benchmark)\n");
    } else {
      out.append("## JMH (quick profile: ").append(forks == Integer.MAX_VALUE ? 0 : forks)
          .append(forks == 1 ? " fork" : " forks").append(", not for quoting)\n\n")
          .append("Fewer than ").append(QUOTABLE_FORKS).append(" forks per benchmark: a smoke test of the"
              + " benchmarks and a rough scale, not a result. Quote figures only from"
              + " `scripts/bench.sh jmh-full`.\n");
    }
    for (List<Object> results : files) {
      // A JMH name pattern can match several classes (PickerBenchmark also matches
      // GrpclbPickerBenchmark): a table each, since their parameters differ.
      Map<String, List<Object>> byClass = new LinkedHashMap<>();
      for (Object each : results) {
        byClass.computeIfAbsent(className((String) asMap(each).get("benchmark")), c -> new ArrayList<>()).add(each);
      }
      byClass.values().forEach(ofOneClass -> out.append('\n').append(table(ofOneClass, quotable)));
    }
    return out.toString();
  }

  /** Returns the simple class name of a JMH benchmark's full name ({@code pkg.Class.method}). */
  private static String className(String benchmark) {
    int methodDot = benchmark.lastIndexOf('.');
    return benchmark.substring(benchmark.lastIndexOf('.', methodDot - 1) + 1, methodDot);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  static String table(List<Object> results, boolean quotable) {
    // row key (the parameters) -> method -> score / cell; insertion order is JMH's order.
    Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
    Map<String, Map<String, String>> cells = new LinkedHashMap<>();
    Map<String, Map<String, Object>> rowParams = new LinkedHashMap<>();
    List<String> methods = new ArrayList<>();
    List<String> paramNames = new ArrayList<>();
    Set<String> settings = new LinkedHashSet<>();
    String className = "";
    for (Object each : results) {
      Map<String, Object> result = asMap(each);
      String benchmark = (String) result.get("benchmark");
      className = className(benchmark);
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      if (!methods.contains(method)) {
        methods.add(method);
      }
      settings.add(settings(result));
      Map<String, Object> params = asMap(result.getOrDefault("params", Map.of()));
      params.keySet().stream().filter(name -> !paramNames.contains(name)).forEach(paramNames::add);
      String row = String.join(" | ", params.values().stream().map(String::valueOf).toList());
      rowParams.putIfAbsent(row, params);
      Map<String, Object> metric = asMap(result.get("primaryMetric"));
      double score = ((Number) metric.get("score")).doubleValue();
      double error = metric.get("scoreError") instanceof Number n ? n.doubleValue() : Double.NaN;
      scores.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(method, score);
      cells.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(method,
          format(score) + " ± " + format(error) + " " + metric.get("scoreUnit"));
    }
    List<String> twoThreadMethods = methods.contains("pickOneThread")
        ? methods.stream().filter(m -> m.startsWith("pickTwoThreads")).toList()
        : List.of();
    List<String> header = new ArrayList<>(paramNames);
    header.addAll(methods);
    twoThreadMethods.forEach(m -> header.add(ratioName(m)));
    StringBuilder table = new StringBuilder("### ").append(className).append("\n\n");
    table.append(String.join("; ", settings)).append(".\n\n");
    table.append(row(header)).append(row(header.stream().map(name -> "---").toList()));
    cells.forEach((params, byMethod) -> {
      List<String> row = new ArrayList<>(List.of(params));
      methods.forEach(method -> row.add(byMethod.getOrDefault(method, "")));
      Map<String, Double> score = scores.get(params);
      twoThreadMethods.forEach(m -> row.add(ratio(score.get(m), score.get("pickOneThread"))));
      table.append(row(row));
    });
    if (!twoThreadMethods.isEmpty()) {
      table.append(grpcJavaComparison(scores, rowParams, paramNames, methods));
    }
    if (methods.contains("channelUpdateToReadyPicker")) {
      scores.forEach((params, byMethod) -> {
        Object addresses = rowParams.get(params).get("addresses");
        Double ms = byMethod.get("channelUpdateToReadyPicker");
        if ("10000".equals(String.valueOf(addresses)) && ms != null) {
          table.append(String.format(Locale.ROOT, "%nThrough a real channel, 10 000 addresses to a READY"
              + " picker: %s ms; target ≤ %.0f ms: %s.%n", format(ms), CHANNEL_UPDATE_TARGET_MS,
              !quotable ? "not judged (quick profile)" : ms <= CHANNEL_UPDATE_TARGET_MS ? "met" : "not met"));
        }
      });
    }
    return table.toString();
  }

  /**
   * Returns a table of ours / grpc-java per policy that ran both ways and per other parameters, for
   * every method; empty if no {@code grpc-java:} policy ran.
   */
  private static String grpcJavaComparison(Map<String, Map<String, Double>> scores,
      Map<String, Map<String, Object>> rowParams, List<String> paramNames, List<String> methods) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Map<String, Object>> theirs : rowParams.entrySet()) {
      Map<String, Object> params = theirs.getValue();
      String policy = String.valueOf(params.get("policy"));
      if (!policy.startsWith(PickerBenchmark.GRPC_JAVA)) {
        continue;
      }
      Map<String, Object> oursParams = new LinkedHashMap<>(params);
      oursParams.put("policy", policy.substring(PickerBenchmark.GRPC_JAVA.length()));
      String oursRow = String.join(" | ", oursParams.values().stream().map(String::valueOf).toList());
      if (!scores.containsKey(oursRow)) {
        continue;
      }
      if (out.isEmpty()) {
        List<String> header = new ArrayList<>(paramNames);
        methods.forEach(m -> header.add(m + ": ours / grpc-java"));
        out.append("\n").append(row(header)).append(row(header.stream().map(name -> "---").toList()));
      }
      List<String> row = new ArrayList<>();
      oursParams.values().forEach(v -> row.add(String.valueOf(v)));
      methods.forEach(m -> row.add(ratio(scores.get(oursRow).get(m), scores.get(theirs.getKey()).get(m))));
      out.append(row(row));
    }
    return out.toString();
  }

  private static String ratioName(String twoThreadMethod) {
    String variant = twoThreadMethod.substring("pickTwoThreads".length());
    return variant.isEmpty() ? "2 threads / 1 thread"
        : "2 threads (" + variant.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT) + ") / 1 thread";
  }

  /** Returns the run settings of one result: forks, threads, warm-up and measurement. */
  private static String settings(Map<String, Object> result) {
    String mode = String.valueOf(result.get("mode"));
    String warmup = result.get("warmupIterations") + (mode.equals("ss") ? "" : " × " + result.get("warmupTime"));
    String measured = result.get("measurementIterations")
        + (mode.equals("ss") ? "" : " × " + result.get("measurementTime"));
    List<String> flags = result.get("jvmArgs") instanceof List<?> l
        ? l.stream().map(String::valueOf).filter(a -> !a.startsWith("-Djmh.executor")).toList()
        : List.of();
    return "forks " + result.get("forks") + ", warm-up " + warmup + ", measured " + measured
        + (mode.equals("ss") ? " single shots" : " iterations")
        + (flags.isEmpty() ? "" : ", JVM flags `" + String.join(" ", flags) + "`");
  }

  private static String ratio(Double numerator, Double denominator) {
    return numerator == null || denominator == null ? "" : format(numerator / denominator);
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
