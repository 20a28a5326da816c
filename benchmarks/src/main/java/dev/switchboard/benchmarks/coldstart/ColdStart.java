package dev.switchboard.benchmarks.coldstart;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Process start to first completed call: our jlink image ({@code bin/switchboard call
 * 127.0.0.1:PORT --plaintext -n 1}) against grpc-java on the class path ({@link GrpcJavaCall}),
 * both against one {@link TestBackendMain} in a long-lived JVM. Wall time from launch to exit,
 * ABBA order, one unmeasured run of each first; then one run of each with {@code -Xlog:class+load}
 * to count the classes loaded. No CDS or AppCDS beyond what each JDK ships by default.
 *
 * <p>Arguments: {@code --image DIR} (repeatable), {@code --out FILE}, {@code --pairs N} (default
 * 10). Not thread-safe (a main).
 */
public final class ColdStart {
  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    List<Path> images = new ArrayList<>();
    Path out = null;
    int pairs = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--image" -> images.add(Path.of(args[++i]));
        case "--out" -> out = Path.of(args[++i]);
        case "--pairs" -> pairs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("argument: " + args[i]
            + " (expected: --image DIR, --out FILE, --pairs N)");
      }
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("--image DIR is required");
    }
    Path classes = Path.of("benchmarks/target/classes");
    String grpcCp = Files.readString(Path.of("benchmarks/target/grpc-java-client.classpath")).trim()
        + File.pathSeparator + classes.toAbsolutePath();
    String java = ProcessHandle.current().info().command().orElse("java");

    try (TestBackendMain.Child backend = TestBackendMain.start()) {
      String target = "127.0.0.1:" + backend.port();
      Map<String, List<String>> variants = new LinkedHashMap<>();
      for (Path image : images) {
        variants.put("image " + image, List.of(image.resolve("bin/switchboard").toString(),
            "call", target, "--plaintext", "-n", "1"));
      }
      variants.put("grpc-java", List.of(java, "-cp", grpcCp, GrpcJavaCall.class.getName(), target));
      String grpcName = "grpc-java";

      for (List<String> cmd : variants.values()) {
        run(cmd, null); // warm: page cache, backend JIT
      }
      List<String> names = new ArrayList<>(variants.keySet());
      Map<String, List<Long>> samples = new LinkedHashMap<>();
      names.forEach(n -> samples.put(n, new ArrayList<>()));
      for (int p = 0; p < pairs; p++) {
        List<String> order = new ArrayList<>(names);
        if (p % 2 == 1) {
          Collections.reverse(order); // ABBA
        }
        for (String n : order) {
          samples.get(n).add(run(variants.get(n), null));
        }
      }
      Map<String, Integer> classCounts = new LinkedHashMap<>();
      for (String n : names) {
        Path log = Files.createTempFile("coldstart-classes", ".log");
        run(variants.get(n), log);
        classCounts.put(n, (int) Files.readAllLines(log).stream().filter(l -> l.contains(" source: ")).count());
        int shared = (int) Files.readAllLines(log).stream().filter(l -> l.contains("shared objects file")).count();
        classCounts.put(n + " (from CDS)", shared);
        Files.delete(log);
      }

      StringBuilder md = new StringBuilder();
      md.append("## Cold start: process launch to first completed call\n\n");
      md.append(String.format(Locale.ROOT, "%d pairs in ABBA order after one unmeasured run of each;"
          + " backend: a TestBackend in its own JVM; %s; %d cores.%n%n",
          pairs, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors()));
      md.append("| client | median ms | p90 ms | min ms | max ms | classes loaded (of them from the JDK's CDS archive) |\n");
      md.append("|---|---:|---:|---:|---:|---:|\n");
      for (String n : names) {
        long[] s = sorted(samples.get(n));
        md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %d (%d) |%n", n,
            ms(pct(s, 50)), ms(pct(s, 90)), ms(s[0]), ms(s[s.length - 1]),
            classCounts.get(n), classCounts.get(n + " (from CDS)")));
      }
      md.append("\n| ours / grpc-java | median of per-pair ratios | ratio of medians | target (issue 7) |\n");
      md.append("|---|---:|---:|---|\n");
      long[] g = sorted(samples.get(grpcName));
      for (String n : names) {
        if (n.equals(grpcName)) {
          continue;
        }
        double[] ratios = new double[pairs];
        for (int p = 0; p < pairs; p++) {
          ratios[p] = (double) samples.get(n).get(p) / samples.get(grpcName).get(p);
        }
        Arrays.sort(ratios);
        double perPair = ratios[(int) Math.ceil(0.5 * pairs) - 1];
        double ofMedians = (double) pct(sorted(samples.get(n)), 50) / pct(g, 50);
        md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | ≤ 0.50: %s |%n", n, perPair, ofMedians,
            perPair <= 0.5 ? "met" : "not met"));
      }
      md.append("\nMedians and p90 are nearest-rank. Wall time from ProcessBuilder.start() to the exit of the process.\n");
      System.out.print(md);
      if (out != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println("wrote " + out);
      }
    }
  }

  /** Runs {@code cmd} to its exit; returns the wall time in ns. With {@code classLog}, logs class loading there. */
  private static long run(List<String> cmd, Path classLog) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    List<String> c = new ArrayList<>(cmd);
    if (classLog != null) {
      String flag = "-Xlog:class+load=info:file=" + classLog;
      if (cmd.get(0).endsWith("/bin/switchboard")) {
        pb.environment().put("JDK_JAVA_OPTIONS", flag); // the launcher sets JLINK_VM_OPTIONS itself
      } else {
        c.add(1, flag);
        pb.command(c);
      }
    }
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("no exit within 60 s: " + cmd);
    }
    long took = System.nanoTime() - start;
    if (p.exitValue() != 0) {
      throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", pb.command()));
    }
    return took;
  }

  private static long[] sorted(List<Long> xs) {
    return xs.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static double ms(long ns) {
    return ns / 1e6;
  }
}
