package dev.switchboard.benchmarks.load;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Side by side with grpc-java's client: starts one {@link LoadServer} JVM, warms it up, then for
 * each scenario × executor runs the clients in ABBA order, each run a fresh {@link LoadClient} JVM
 * with the same java, JVM flags and class path, and writes a Markdown table of the medians and of
 * the ratios (median over pairs of the per-pair ratio). Then the bare Netty floor.
 *
 * <pre>
 * LoadComparison [--out FILE] [--pairs 1] [--warmup-seconds 6] [--seconds 3]
 *                [--scenarios unary-pingpong,unary-64,bidi-pingpong,server-streaming]
 *                [--executors default,direct] [--floor-runs 2] [--jvm-args "-Xms256m -Xmx256m"]
 *                [--grpc-java-no-native] [--baseline-jars a.jar:b.jar]
 * </pre>
 *
 * <p>Not thread-safe: a command-line entry point.
 */
public final class LoadComparison {

  static final String OURS = "switchboard";
  static final String GRPC_JAVA = "grpc-java";
  static final String GRPC_JAVA_NIO = "grpc-java-nio";
  static final String BASELINE = "switchboard-baseline";
  static final String FLOOR = "netty-floor";
  /** A run during which other processes used more CPU than this is marked noisy. */
  static final double NOISY_CORES = 0.15;

  private final String java = ProcessHandle.current().info().command()
      .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  private final String classPath = System.getProperty("java.class.path");
  private final List<String> jvmArgs;
  private final String baselineJars;
  private final double warmupSeconds;
  private final double seconds;
  private int port;
  private long serverPid;
  private int runsDone;
  private int runsTotal;

  private LoadComparison(List<String> jvmArgs, String baselineJars, double warmupSeconds, double seconds) {
    this.jvmArgs = jvmArgs;
    this.baselineJars = baselineJars;
    this.warmupSeconds = warmupSeconds;
    this.seconds = seconds;
  }

  /** One client run's parsed {@code RESULT} line, labelled by the comparison's client name. */
  record Run(String label, int pair, Map<String, String> values) {
    double get(String key) {
      String v = values.get(key);
      return v == null ? Double.NaN : Double.parseDouble(v);
    }

    boolean noisy() {
      return get("foreignCores") > NOISY_CORES;
    }

    boolean failed() {
      return values.isEmpty() || get("errors") > 0 || get("ops") <= 0;
    }
  }

  /** Runs the comparison; see the class documentation for the options. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = LoadClient.parse(args);
    List<String> scenarios = List.of(
        opts.getOrDefault("scenarios", "unary-pingpong,unary-64,bidi-pingpong,server-streaming").split(","));
    List<String> executors = List.of(opts.getOrDefault("executors", "default,direct").split(","));
    int pairs = Integer.parseInt(opts.getOrDefault("pairs", "1"));
    int floorRuns = Integer.parseInt(opts.getOrDefault("floor-runs", "2"));
    String baseline = opts.get("baseline-jars");
    boolean noNative = opts.containsKey("grpc-java-no-native");
    List<String> jvmArgs = List.of(opts.getOrDefault("jvm-args", "-Xms256m -Xmx256m").trim().split("\\s+"));
    LoadComparison c = new LoadComparison(jvmArgs, baseline,
        Double.parseDouble(opts.getOrDefault("warmup-seconds", "6")),
        Double.parseDouble(opts.getOrDefault("seconds", "3")));

    List<String> clients = new ArrayList<>(List.of(OURS, GRPC_JAVA));
    if (noNative) {
      clients.add(GRPC_JAVA_NIO);
    }
    if (baseline != null) {
      clients.add(BASELINE);
    }
    List<String> floorScenarios = scenarios.stream().filter(s -> s.startsWith("unary")).toList();
    c.runsTotal = scenarios.size() * executors.size() * pairs * clients.size() * 2
        + floorScenarios.size() * floorRuns + 1;

    long started = System.nanoTime();
    Process server = c.startServer();
    Map<String, List<Run>> results = new LinkedHashMap<>();
    try {
      c.run(GRPC_JAVA, "unary-64", "direct", 0); // warms the server up; not reported
      for (String scenario : scenarios) {
        for (String executor : executors) {
          List<Run> runs = new ArrayList<>();
          for (int pair = 0; pair < pairs; pair++) {
            List<String> order = new ArrayList<>(clients);
            List<String> reversed = new ArrayList<>(clients);
            Collections.reverse(reversed);
            order.addAll(reversed);
            for (String client : order) {
              runs.add(c.run(client, scenario, executor, pair));
            }
          }
          results.put(scenario + "|" + executor, runs);
        }
        if (floorScenarios.contains(scenario) && floorRuns > 0) {
          List<Run> runs = new ArrayList<>();
          for (int i = 0; i < floorRuns; i++) {
            runs.add(c.run(FLOOR, scenario, "direct", i));
          }
          results.put(scenario + "|event loop", runs);
        }
      }
    } finally {
      OutputStream stdin = server.getOutputStream();
      stdin.close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    String table = c.table(results, clients, pairs, minutes, String.join(" ", args));
    System.out.println(table);
    if (opts.containsKey("out")) {
      Path out = Path.of(opts.get("out"));
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, table);
      System.err.println("wrote " + out);
    }
  }

  private Process startServer() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", classPath, LoadServer.class.getName()));
    Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine(); // the server prints this line first, once listening
    if (line == null || !line.startsWith("PORT ")) {
      server.destroyForcibly();
      throw new IOException("LoadServer did not start: " + line);
    }
    String[] f = line.split(" ");
    port = Integer.parseInt(f[1]);
    serverPid = Long.parseLong(f[3]);
    System.err.println("load server on 127.0.0.1:" + port + ", pid " + serverPid);
    return server;
  }

  private Run run(String label, String scenario, String executor, int pair) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmArgs);
    if (label.equals(GRPC_JAVA_NIO)) {
      cmd.add("-Dio.grpc.netty.shaded.io.netty.transport.noNative=true");
    }
    String cp = label.equals(BASELINE) ? baselineJars + File.pathSeparator + classPath : classPath;
    String client = switch (label) {
      case GRPC_JAVA_NIO -> GRPC_JAVA;
      case BASELINE -> OURS;
      default -> label;
    };
    cmd.addAll(List.of("-cp", cp, LoadClient.class.getName(),
        "--client", client, "--scenario", scenario, "--executor", executor,
        "--port", Integer.toString(port), "--server-pid", Long.toString(serverPid),
        "--warmup-seconds", Double.toString(warmupSeconds), "--seconds", Double.toString(seconds)));
    Path stdout = Files.createTempFile("load-client", ".out");
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectOutput(stdout.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      if (!p.waitFor((long) (warmupSeconds + seconds) + 30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        System.err.println("client run timed out: " + label + " " + scenario + " " + executor);
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : Files.readAllLines(stdout)) {
        if (line.startsWith("RESULT ")) {
          for (String kv : line.substring(7).trim().split(" ")) {
            int eq = kv.indexOf('=');
            values.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        }
      }
      Run run = new Run(label, pair, values);
      runsDone++;
      System.err.printf(Locale.ROOT, "[%d/%d] %-16s %-7s %-20s p50 %s µs, rate %s/s, CPU %s µs/op, foreign %s cores%s%n",
          runsDone, runsTotal, scenario, executor, label, values.get("p50"), values.get("rate"),
          values.get("cpuUsPerOp"), values.get("foreignCores"), run.failed() ? "  FAILED" : run.noisy() ? "  noisy" : "");
      return run;
    } finally {
      Files.deleteIfExists(stdout);
    }
  }

  private String table(Map<String, List<Run>> results, List<String> clients, int pairs, double minutes,
      String args) {
    StringBuilder t = new StringBuilder();
    t.append("## Side by side with grpc-java (`scripts/bench.sh load").append(args.isEmpty() ? "" : " " + args)
        .append("`)\n\n");
    t.append(String.format(Locale.ROOT,
        "Warm-up %.1f s, measured %.1f s per run, %d ABBA pair(s), each run a fresh client JVM (`%s`); "
            + "server: grpc-java's benchmark service, direct executor, NIO, own JVM. Empty messages. "
            + "Medians over runs; latency in µs; rate in calls/s (server-streaming: messages/s); "
            + "CPU = client process CPU µs per call or message; bytes and packets on `lo` per op (both directions); "
            + "noisy = runs during which other processes used > %.2f cores. Took %.1f min.%n%n",
        warmupSeconds, seconds, pairs, String.join(" ", jvmArgs), NOISY_CORES, minutes));
    t.append("| scenario | executor | client | p50 | p90 | p99 | rate | CPU µs/op | server CPU µs/op | bytes/op | packets/op | threads | noisy |\n");
    t.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    results.forEach((key, runs) -> {
      String[] se = key.split("\\|");
      List<String> labels = se[1].equals("event loop") ? List.of(FLOOR) : clients;
      for (String label : labels) {
        List<Run> mine = runs.stream().filter(r -> r.label().equals(label) && !r.failed()).toList();
        long noisy = mine.stream().filter(Run::noisy).count();
        long failed = runs.stream().filter(r -> r.label().equals(label) && r.failed()).count();
        t.append("| ").append(se[0]).append(" | ").append(se[1]).append(" | ").append(label)
            .append(" | ").append(num(median(mine, r -> r.get("p50"))))
            .append(" | ").append(num(median(mine, r -> r.get("p90"))))
            .append(" | ").append(num(median(mine, r -> r.get("p99"))))
            .append(" | ").append(num(median(mine, r -> r.get("rate"))))
            .append(" | ").append(num(median(mine, r -> r.get("cpuUsPerOp"))))
            .append(" | ").append(num(median(mine, r -> r.get("serverCpuUsPerOp"))))
            .append(" | ").append(num(median(mine, r -> r.get("bytesPerOp"))))
            .append(" | ").append(String.format(Locale.ROOT, "%.2f", median(mine, r -> r.get("packetsPerOp"))))
            .append(" | ").append(String.format(Locale.ROOT, "%.0f", median(mine, r -> r.get("threads"))))
            .append(" | ").append(noisy).append('/').append(mine.size())
            .append(failed > 0 ? " (" + failed + " failed)" : "")
            .append(" |\n");
      }
    });

    List<String[]> ratios = new ArrayList<>();
    ratios.add(new String[] {OURS, GRPC_JAVA});
    if (clients.contains(GRPC_JAVA_NIO)) {
      ratios.add(new String[] {OURS, GRPC_JAVA_NIO});
    }
    if (clients.contains(BASELINE)) {
      ratios.add(new String[] {BASELINE, OURS});
    }
    t.append("\nRatios (median over pairs of each pair's ratio of means; latency and CPU: lower is better "
        + "for the numerator, rate: higher is):\n\n");
    t.append("| scenario | executor | ratio | p50 | p99 | rate | CPU/op | noisy pairs |\n");
    t.append("|---|---|---|---:|---:|---:|---:|---|\n");
    results.forEach((key, runs) -> {
      String[] se = key.split("\\|");
      if (se[1].equals("event loop")) {
        return;
      }
      for (String[] ratio : ratios) {
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        int noisyPairs = 0;
        for (int pair = 0; pair < pairs; pair++) {
          int p = pair;
          List<Run> num = runs.stream()
              .filter(r -> r.pair() == p && r.label().equals(ratio[0]) && !r.failed()).toList();
          List<Run> den = runs.stream()
              .filter(r -> r.pair() == p && r.label().equals(ratio[1]) && !r.failed()).toList();
          if (num.stream().anyMatch(Run::noisy) || den.stream().anyMatch(Run::noisy)) {
            noisyPairs++;
          }
          p50.add(mean(num, "p50") / mean(den, "p50"));
          p99.add(mean(num, "p99") / mean(den, "p99"));
          rate.add(mean(num, "rate") / mean(den, "rate"));
          cpu.add(mean(num, "cpuUsPerOp") / mean(den, "cpuUsPerOp"));
        }
        t.append("| ").append(se[0]).append(" | ").append(se[1]).append(" | ").append(ratio[0]).append(" / ")
            .append(ratio[1]).append(" | ").append(ratioText(median(p50))).append(" | ").append(ratioText(median(p99)))
            .append(" | ").append(ratioText(median(rate))).append(" | ").append(ratioText(median(cpu)))
            .append(" | ").append(noisyPairs).append('/').append(pairs).append(" |\n");
      }
    });
    return t.toString();
  }

  private static double mean(List<Run> runs, String key) {
    return runs.stream().mapToDouble(r -> r.get(key)).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> metric) {
    return median(runs.stream().map(metric::applyAsDouble).toList());
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String ratioText(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

}
