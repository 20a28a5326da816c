package dev.switchboard.benchmarks.coldstart;

import dev.switchboard.benchmarks.GrpcJavaMethods;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Process start to first completed call, like with like: our CLI ({@code call 127.0.0.1:PORT
 * --plaintext -n 1}: one health check, the report, {@code System.exit}) and grpc-java's
 * ({@link GrpcJavaCall}: one blocking health check, {@code System.exit}), each in a fresh process,
 * against one {@link TestBackendMain} in a long-lived JVM. Wall time from launch to exit, ABBA order
 * over all rows, one unmeasured run of each first; then one run of each with
 * {@code -Xlog:class+load} for the classes loaded, where they came from, and which transport ran
 * (epoll when Netty's JNI binding {@code …channel.epoll.Native} was loaded, else NIO).
 *
 * <p>Rows (see {@code benchmarks/README.md}):
 *
 * <ul>
 *   <li>each {@code --image}: its launcher as shipped ({@code bin/switchboard}: the launcher's flags,
 *       and its archive {@code lib/server/classes.jsa}, the JDK's default place, when the build made
 *       one); for the first image also the image without any archive ({@code -Xshare:off}) and
 *       without the launcher's flags ({@code bin/java -m}), to show what each is worth;
 *   <li>ours on the class path, no image: the same CLI main class with plain {@code java -cp} (the
 *       distribution's jar and its module folder), with the JDK's archive only, and with an AppCDS
 *       archive of its own (below);
 *   <li>grpc-java on the class path: with Netty's native transport off
 *       ({@code -Dio.grpc.netty.shaded.io.netty.transport.noNative=true}, NIO like our CLI), as
 *       shipped (native epoll) for reference, NIO with AppCDS, and NIO with AppCDS and the image
 *       launcher's flags (a separately labelled row: no other grpc-java row gets our flags).
 * </ul>
 *
 * <p>AppCDS rows: before measuring, one training run of the same command with
 * {@code -XX:ArchiveClassesAtExit} writes a dynamic archive on top of the JDK's, which the measured
 * runs map with {@code -XX:SharedArchiveFile}. Class-path rows run on jars only (grpc-java's client
 * classes are put in a jar first), as CDS archives no classes from directories. The class-path rows
 * run with the same {@code java} as this program; the image with its own.
 *
 * <p>Arguments: {@code --image DIR} (repeatable, at least one), {@code --out FILE}, {@code --pairs N}
 * (default 10), {@code --image-flags "FLAGS"} (repeatable: one more row of the first image with
 * FLAGS in {@code JDK_JAVA_OPTIONS}, which come before the launcher's own). Run from the repository
 * root. Not thread-safe (a main).
 */
public final class ColdStart {
  private static final String CLI_MAIN = "dev.switchboard.cli.internal.Main";
  /** The launcher's flags (distribution/src/main/launcher/switchboard), for the rows that compare them. */
  private static final List<String> LAUNCHER_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final String NO_NATIVE = "-Dio.grpc.netty.shaded.io.netty.transport.noNative=true";
  private static final String IMAGE_ROW = "image, as shipped";
  private static final String OURS_CP = "ours, class path";
  private static final String OURS_CP_CDS = "ours, class path + AppCDS";
  private static final String GRPC_NIO = "grpc-java, NIO (noNative)";
  private static final String GRPC_NATIVE = "grpc-java, native epoll (default)";
  private static final String GRPC_NIO_CDS = "grpc-java, NIO + AppCDS";
  private static final String GRPC_NIO_CDS_FLAGS = "grpc-java, NIO + AppCDS + the launcher's flags";
  private static final String IMAGE_NO_ARCHIVE = "image without its archive (bin/java + the launcher's flags + -Xshare:off)";
  private static final String IMAGE_NO_FLAGS = "image without the launcher's flags (bin/java + its archive)";

  private ColdStart() {}

  /** One row: a command and the environment it runs with. */
  private record Variant(List<String> command, Map<String, String> env) {
    Variant(List<String> command) {
      this(command, Map.of());
    }
  }

  /** A ratio to report: {@code numerator / denominator}, with a target, or none. */
  private record Ratio(String numerator, String denominator, double target, String what) {}

  public static void main(String[] args) throws Exception {
    List<Path> images = new ArrayList<>();
    List<String> imageFlags = new ArrayList<>();
    Path out = null;
    int pairs = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--image" -> images.add(Path.of(args[++i]));
        case "--image-flags" -> imageFlags.add(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--pairs" -> pairs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("argument: " + args[i]
            + " (expected: --image DIR, --image-flags FLAGS, --out FILE, --pairs N)");
      }
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("--image DIR is required");
    }
    if (pairs < 1) {
      throw new IllegalArgumentException("--pairs: " + pairs + " (expected: at least 1)");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Path image = images.get(0);
    Path imageArchive = image.resolve("lib/server/classes.jsa");
    Path work = Files.createTempDirectory("coldstart");
    String oursCp = oursClassPath(image.toAbsolutePath().getParent());
    String grpcCp = Files.readString(Path.of("benchmarks/target/grpc-java-client.classpath")).trim()
        + File.pathSeparator + grpcJavaCallJar(Path.of("benchmarks/target/classes"), work);

    try (TestBackendMain.Child backend = TestBackendMain.start()) {
      String target = "127.0.0.1:" + backend.port();
      List<String> call = List.of("call", target, "--plaintext", "-n", "1");
      Map<String, Variant> variants = new LinkedHashMap<>();
      for (Path each : images) {
        List<String> cmd = new ArrayList<>(List.of(each.resolve("bin/switchboard").toString()));
        cmd.addAll(call);
        variants.put(each.equals(image) ? IMAGE_ROW : "image " + each + ", as shipped", new Variant(cmd));
      }
      for (String flags : imageFlags) {
        variants.put(IMAGE_ROW + " + " + flags, new Variant(variants.get(IMAGE_ROW).command(),
            Map.of("JDK_JAVA_OPTIONS", flags)));
      }
      List<String> imageJava = List.of(image.resolve("bin/java").toString());
      variants.put(IMAGE_NO_ARCHIVE, new Variant(concat(imageJava, concat(LAUNCHER_FLAGS, List.of("-Xshare:off")),
          List.of("-m", "dev.switchboard.cli/" + CLI_MAIN), call)));
      if (Files.exists(imageArchive)) {
        variants.put(IMAGE_NO_FLAGS, new Variant(concat(imageJava,
            List.of("-m", "dev.switchboard.cli/" + CLI_MAIN), call)));
      }
      List<String> ours = concat(List.of(java, "-cp", oursCp, CLI_MAIN), call);
      List<String> grpcNio = List.of(java, NO_NATIVE, "-cp", grpcCp, GrpcJavaCall.class.getName(), target);
      variants.put(OURS_CP, new Variant(ours));
      variants.put(GRPC_NIO, new Variant(grpcNio));
      variants.put(GRPC_NATIVE, new Variant(List.of(java, "-cp", grpcCp, GrpcJavaCall.class.getName(), target)));

      Map<String, Path> appArchives = new LinkedHashMap<>();
      appArchives.put(OURS_CP_CDS, work.resolve("ours-class-path.jsa"));
      appArchives.put(GRPC_NIO_CDS, work.resolve("grpc-java-nio.jsa"));
      variants.put(OURS_CP_CDS, withAppCds(ours, appArchives.get(OURS_CP_CDS)));
      variants.put(GRPC_NIO_CDS, withAppCds(grpcNio, appArchives.get(GRPC_NIO_CDS)));
      variants.put(GRPC_NIO_CDS_FLAGS, withAppCds(withFlags(grpcNio, LAUNCHER_FLAGS), appArchives.get(GRPC_NIO_CDS)));

      // Training runs: the measured command, dumping what it loaded at exit.
      run(withFlags(ours, List.of("-XX:ArchiveClassesAtExit=" + appArchives.get(OURS_CP_CDS))), Map.of(), null);
      run(withFlags(grpcNio, List.of("-XX:ArchiveClassesAtExit=" + appArchives.get(GRPC_NIO_CDS))), Map.of(), null);

      for (Variant v : variants.values()) {
        run(v.command(), v.env(), null); // warm: page cache, the backend's JIT
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
          samples.get(n).add(run(variants.get(n).command(), variants.get(n).env(), null));
        }
      }
      Map<String, ClassLog> classLogs = new LinkedHashMap<>();
      for (String n : names) {
        Path log = work.resolve("classes.log");
        run(variants.get(n).command(), variants.get(n).env(), log);
        classLogs.put(n, ClassLog.read(log));
        Files.delete(log);
      }

      List<Ratio> ratios = new ArrayList<>();
      ratios.add(new Ratio(IMAGE_ROW, GRPC_NIO, 0.40, "the image as shipped against grpc-java on the same transport"));
      ratios.add(new Ratio(IMAGE_ROW, GRPC_NATIVE, 0.50, "against grpc-java as shipped (issue 7)"));
      ratios.add(new Ratio(OURS_CP, GRPC_NIO, Double.NaN, "class path against class path, the JDK's archive only"));
      ratios.add(new Ratio(OURS_CP_CDS, GRPC_NIO_CDS, Double.NaN, "class path + AppCDS, both"));
      ratios.add(new Ratio(IMAGE_ROW, GRPC_NIO_CDS_FLAGS, Double.NaN, "the image against grpc-java with AppCDS and the same flags"));
      ratios.add(new Ratio(IMAGE_NO_ARCHIVE, IMAGE_ROW, Double.NaN, "what the image's archive saves"));
      ratios.add(new Ratio(IMAGE_NO_FLAGS, IMAGE_ROW, Double.NaN, "what the launcher's flags save"));
      ratios.add(new Ratio(GRPC_NIO, GRPC_NATIVE, Double.NaN, "grpc-java: NIO against native epoll"));

      String md = report(names, samples, classLogs, ratios, pairs, image, imageArchive, appArchives);
      System.out.print(md);
      if (out != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println("wrote " + out);
      }
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static String report(List<String> names, Map<String, List<Long>> samples,
      Map<String, ClassLog> classLogs, List<Ratio> ratios, int pairs, Path image, Path imageArchive,
      Map<String, Path> appArchives) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("## Cold start: process launch to first completed call\n\n");
    md.append(String.format(Locale.ROOT, "%d pair(s) in ABBA order over all rows after one unmeasured run of"
        + " each; backend: a TestBackend in its own JVM; %s; %d cores.%n%n",
        pairs, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors()));
    md.append("| client | median ms | p90 ms | min ms | max ms | classes loaded | JDK classes from an archive"
        + " | other classes from an archive | transport |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (String n : names) {
      long[] s = sorted(samples.get(n));
      ClassLog c = classLogs.get(n);
      md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %d | %d | %d | %s |%n", n,
          ms(pct(s, 50)), ms(pct(s, 90)), ms(s[0]), ms(s[s.length - 1]),
          c.loaded(), c.jdkFromArchive(), c.othersFromArchive(), c.transport()));
    }
    md.append("\n| ratio | median of per-pair ratios | ratio of medians | target | what |\n");
    md.append("|---|---:|---:|---|---|\n");
    for (Ratio r : ratios) {
      if (!samples.containsKey(r.numerator()) || !samples.containsKey(r.denominator())) {
        continue;
      }
      double[] perPair = new double[pairs];
      for (int p = 0; p < pairs; p++) {
        perPair[p] = (double) samples.get(r.numerator()).get(p) / samples.get(r.denominator()).get(p);
      }
      Arrays.sort(perPair);
      double median = perPair[(int) Math.ceil(0.5 * pairs) - 1];
      double ofMedians = (double) pct(sorted(samples.get(r.numerator())), 50)
          / pct(sorted(samples.get(r.denominator())), 50);
      String target = Double.isNaN(r.target()) ? "–"
          : String.format(Locale.ROOT, "≤ %.2f: %s", r.target(), median <= r.target() ? "met" : "not met");
      md.append(String.format(Locale.ROOT, "| %s / %s | %.2f | %.2f | %s | %s |%n",
          r.numerator(), r.denominator(), median, ofMedians, target, r.what()));
    }
    md.append("\nArchives: ");
    List<String> sizes = new ArrayList<>();
    sizes.add("the image's (lib/server/classes.jsa: the JDK's classes and its own) " + size(imageArchive));
    for (Map.Entry<String, Path> archive : appArchives.entrySet()) {
      sizes.add(archive.getKey() + ": " + size(archive.getValue()));
    }
    md.append(String.join("; ", sizes)).append(".\n");
    md.append("\nMedians and p90 are nearest-rank. Wall time from ProcessBuilder.start() to the exit of the"
        + " process. The launcher's flags: `").append(String.join(" ", LAUNCHER_FLAGS)).append("`.\n");
    return md.toString();
  }

  private static String size(Path file) throws IOException {
    return Files.exists(file) ? String.format(Locale.ROOT, "%.1f MB", Files.size(file) / 1e6) : "none";
  }

  /**
   * What a {@code -Xlog:class+load} log says: how many classes, how many of the JDK's and of the
   * others (the application's, the image's own) came from a CDS archive, and the transport. By
   * package, not by archive: the image has one archive of both, a JVM with AppCDS two layers.
   */
  private record ClassLog(int loaded, int jdkFromArchive, int othersFromArchive, String transport) {
    private static final Pattern JDK_CLASS =
        Pattern.compile("\\] (java|javax|jdk|sun|com\\.sun|org\\.w3c|org\\.xml|org\\.ietf)\\.");

    static ClassLog read(Path log) throws IOException {
      List<String> lines = Files.readAllLines(log);
      int loaded = (int) lines.stream().filter(l -> l.contains(" source: ")).count();
      List<String> sharedLines = lines.stream().filter(l -> l.contains(" source: shared objects file")).toList();
      int shared = sharedLines.size();
      int others = (int) sharedLines.stream().filter(l -> !JDK_CLASS.matcher(l).find()).count();
      // Class literals load EpollSocketChannel even on NIO; the JNI binding is loaded only for epoll.
      boolean epoll = lines.stream().anyMatch(l -> l.contains(".channel.epoll.Native "));
      boolean nio = lines.stream().anyMatch(l -> l.contains(".nio.NioSocketChannel "));
      String transport = epoll ? "epoll" : nio ? "NIO" : "?";
      return new ClassLog(loaded, shared - others, others, transport);
    }
  }

  /** The CLI's class path without an image: the distribution's jar and its module folder, as jars. */
  private static String oursClassPath(Path distributionTarget) throws IOException {
    List<String> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(distributionTarget)) {
      files.filter(f -> f.getFileName().toString().matches("switchboard-distribution-.*\\.jar"))
          .forEach(f -> jars.add(f.toString()));
    }
    if (jars.size() != 1) {
      throw new IllegalStateException("expected one switchboard-distribution-*.jar in " + distributionTarget
          + ", found " + jars);
    }
    try (Stream<Path> files = Files.list(distributionTarget.resolve("modules"))) {
      files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> jars.add(f.toString()));
    }
    return String.join(File.pathSeparator, jars);
  }

  /**
   * Writes grpc-java's side of the benchmark ({@link GrpcJavaCall}, {@link GrpcJavaMethods} and
   * their nested classes) into a jar in {@code dir}: CDS archives classes from jars only.
   */
  private static String grpcJavaCallJar(Path classes, Path dir) throws IOException {
    Path jar = dir.resolve("grpc-java-call.jar");
    List<Path> entries = new ArrayList<>();
    for (Class<?> c : List.of(GrpcJavaCall.class, GrpcJavaMethods.class)) {
      Path folder = classes.resolve(c.getPackageName().replace('.', '/'));
      try (Stream<Path> files = Files.list(folder)) {
        entries.addAll(files.filter(f -> f.getFileName().toString().matches(
            c.getSimpleName() + "(\\$.*)?\\.class")).collect(Collectors.toList()));
      }
    }
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      for (Path entry : entries) {
        out.putNextEntry(new JarEntry(classes.relativize(entry).toString().replace(File.separatorChar, '/')));
        out.write(Files.readAllBytes(entry));
        out.closeEntry();
      }
    }
    return jar.toString();
  }

  private static Variant withAppCds(List<String> command, Path archive) {
    return new Variant(withFlags(command, List.of("-XX:SharedArchiveFile=" + archive)));
  }

  /** Returns {@code command} (a {@code java} command) with {@code flags} right after the executable. */
  private static List<String> withFlags(List<String> command, List<String> flags) {
    return concat(command.subList(0, 1), flags, command.subList(1, command.size()));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  /**
   * Runs {@code cmd} to its exit; returns the wall time in ns. With {@code classLog}, logs class
   * loading there (through {@code JDK_JAVA_OPTIONS} for the image's launcher).
   */
  private static long run(List<String> cmd, Map<String, String> env, Path classLog)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("SWITCHBOARD_PLUGIN_PATH");
    pb.environment().putAll(env);
    if (classLog != null) {
      String flag = "-Xlog:class+load=info:file=" + classLog;
      if (cmd.get(0).endsWith("/bin/switchboard")) {
        pb.environment().merge("JDK_JAVA_OPTIONS", flag, (a, b) -> a + " " + b); // the launcher sets its own flags
      } else {
        pb.command(withFlags(cmd, List.of(flag)));
      }
    }
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("no exit within 60 s: " + pb.command());
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
