package dev.switchboard.benchmarks.load;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Side by side with grpc-java's client: starts one {@link LoadServer} JVM, warms it up, then runs
 * the cells of a profile. A cell is a scenario, an {@link ExecutorMode} and a message size, run by
 * two or more clients in ABBA pairs: per pair each client once, then again in reverse order
 * ({@code switchboard, grpc-java, grpc-java, switchboard}), each run a fresh {@link LoadClient} JVM
 * with the same java, JVM flags and class path. Cells that differ only in size share their runs: one
 * client JVM measures the sizes one after the other (smallest first, a short warm-up at each new
 * size), so three sizes cost one JVM start and one full warm-up, not three. With a profile's group
 * warm-up above 0 (the full profile) one JVM per client measures all of that client's cells, each
 * scenario after a group warm-up of its own: the JIT's work on the shared call path is paid once per
 * run, in a first warm-up long enough for grpc-java's. A run during which other
 * processes used more than {@value #NOISY_CORES} cores in any of its windows is re-run in its place
 * (up to {@code --max-reruns} times; the last attempt is kept and the re-runs are counted). The bare
 * Netty floor runs on its own, unpaired, unless {@code --paired-floor} adds it as a third client to
 * the direct unary ping-pong cell at 0 B, where it is paired like the others and compared with both
 * (whether grpc-java's round trip leaves room for the target below a client with no gRPC code).
 * It writes a Markdown table of every client's medians, then one of the ratios: per pair, ours over
 * theirs of the means of each side's two runs; the median over pairs with the range of all pairs,
 * and a verdict against the target where one is set: {@code win} or {@code loss} only when
 * every pair is on the same side of it, {@code mixed} otherwise.
 *
 * <pre>
 * LoadComparison [--profile quick|full|defaults|matrix] [--dry-run] [--out FILE]
 *                [--scenarios a,b] [--executors direct,fjp,defaults] [--sizes 0,1024,65536]
 *                [--pairs N] [--warmup-seconds W] [--size-warmup-seconds V] [--group-warmup-seconds G]
 *                [--seconds S] [--min-samples M]
 *                [--floor-runs N] [--max-reruns N] [--jvm-args "-Xms256m -Xmx256m"] [--pin | --no-pin]
 *                [--grpc-java-noretry] [--grpc-java-no-native] [--baseline-jars a.jar:b.jar] [--paired-floor]
 * </pre>
 *
 * <p>{@code --scenarios}, {@code --executors} and {@code --sizes} keep the profile's cells that
 * match (the floor's cells are kept by scenario and size); {@code --profile matrix} has every cell,
 * for picking any with them. The other options override the profile's settings.
 * {@code --dry-run} prints the plan and its expected duration and stops.
 *
 * <p>Not thread-safe: a command-line entry point.
 */
public final class LoadComparison {

  static final String OURS = "switchboard";
  static final String GRPC_JAVA = "grpc-java";
  static final String GRPC_JAVA_NORETRY = "grpc-java-noretry";
  static final String GRPC_JAVA_NIO = "grpc-java-nio";
  static final String BASELINE = "switchboard-baseline";
  /** Ours and grpc-java's through their generated stubs, with protobuf messages (unary only). */
  static final String OURS_STUBS = "switchboard-protobuf";
  static final String GRPC_JAVA_STUBS = "grpc-java-protobuf";
  static final String FLOOR = "netty-floor";
  /** A run during which other processes used more CPU than this is re-run. */
  static final double NOISY_CORES = 0.15;
  static final int CLIENT_CPU = 0;
  static final int SERVER_CPU = 1;
  /**
   * What a client run costs beyond its warm-up and window: JVM start, class loading, connection,
   * shutdown. Measured here at 0.6 s (ours) to 1.0 s (grpc-java) on 2 shared cores; the estimate
   * printed at the start uses this, the ETA of each progress line the runs' real walls.
   */
  static final double RUN_OVERHEAD_SECONDS = 1.0;
  /** The share of runs the printed estimate expects to re-run once. */
  static final double RERUN_ALLOWANCE = 0.2;
  /** Warm-up and window of each server warm-up run (one per server method and size of the plan). */
  static final double SERVER_WARMUP_SECONDS = 2.5;
  static final double SERVER_WARMUP_WINDOW_SECONDS = 0.5;
  static final List<Integer> SIZES = List.of(0, 1024, 65536);
  /** The targets of the issue apply to this size; the other sizes are compared with it. */
  static final int TARGET_SIZE = 0;

  /** A scenario × executor × message size, and the clients that run it (the floor runs alone). */
  record Cell(String scenario, String executor, int size, List<String> clients) {
    boolean floor() {
      return clients.equals(List.of(FLOOR));
    }

    String key() {
      return key(scenario, executor, size);
    }

    static String key(String scenario, String executor, Object size) {
      return scenario + "|" + executor + "|" + size;
    }

    /** The one cell where {@code --paired-floor} pairs the floor: direct unary ping-pong at 0 B. */
    boolean takesPairedFloor() {
      return scenario.equals("unary-pingpong") && executor.equals(ExecutorMode.DIRECT.label()) && size == 0;
    }

    Cell withClients(List<String> more) {
      if (floor()) {
        return this;
      }
      Set<String> all = new LinkedHashSet<>(clients);
      all.addAll(more);
      return new Cell(scenario, executor, size, List.copyOf(all));
    }
  }

  /** Cells that one client JVM measures together: same scenario, executor and clients; sizes ascending. */
  record Group(String scenario, String executor, List<String> clients, List<Cell> cells) {
    boolean floor() {
      return cells.get(0).floor();
    }

    List<Integer> sizes() {
      return cells.stream().map(Cell::size).toList();
    }

    static List<Group> of(List<Cell> cells) {
      Map<String, List<Cell>> byKey = new LinkedHashMap<>();
      for (Cell cell : cells) {
        String key = cell.scenario() + "|" + cell.executor() + "|" + cell.clients();
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(cell);
      }
      List<Group> groups = new ArrayList<>();
      for (List<Cell> same : byKey.values()) {
        List<Cell> sorted = same.stream().sorted(Comparator.comparingInt(Cell::size)).toList();
        Cell first = sorted.get(0);
        groups.add(new Group(first.scenario(), first.executor(), first.clients(), sorted));
      }
      return groups;
    }
  }

  /** A named set of cells with its run settings. */
  record Profile(String name, int pairs, double warmupSeconds, double sizeWarmupSeconds, double groupWarmupSeconds,
      double seconds, long minSamples, int floorRuns, boolean pinned, List<Cell> cells) {

    /**
     * Whether one client JVM measures all of a client's cells (not the floor's), each scenario after
     * {@link #groupWarmupSeconds} of its own, instead of one JVM per scenario and executor.
     */
    boolean oneJvmPerClient() {
      return groupWarmupSeconds > 0;
    }


    static Profile named(String name) {
      return switch (name) {
        // Iteration: one pair, short windows, the four latency and throughput cells that matter most,
        // one JVM per client as in `full` (64 in flight first), so the cells are measured warm.
        case "quick" -> new Profile(name, 1, 5, 0.8, 1.5, 1, 1000, 0, false, List.of(
            pair("unary-64", "fjp", 0),
            pair("unary-blocking", "defaults", 0),
            pair("unary-pingpong", "direct", 0),
            pair("bidi-pingpong", "direct", 0)));
        // The targets and message sizes, 4 pairs, in under 15 minutes on 2 cores (see the
        // README for the arithmetic; the cached-pool row is in `defaults`). One JVM per client and
        // pair measures every cell: with a JVM per cell, grpc-java's JIT was still compiling in its
        // first cells' windows (up to 90 µs per call) after the 5 s that 15 minutes allowed each.
        // 64 in flight first: it compiles the shared call path fastest; its first warm-up also runs
        // 1 KiB and 64 KiB a while (LoadClient), then 5 s at 0 B (up to 10 s while the JIT works).
        case "full" -> {
          List<Cell> cells = new ArrayList<>();
          for (int size : SIZES) {
            cells.add(pair("unary-64", "fjp", size));
          }
          for (int size : SIZES) {
            cells.add(pair("unary-blocking", "defaults", size));
          }
          cells.add(new Cell("unary-pingpong", "direct", 0, List.of(OURS, GRPC_JAVA, GRPC_JAVA_NORETRY)));
          cells.add(pair("bidi-pingpong", "direct", 0));
          cells.add(pair("server-streaming", "direct", 0));
          cells.add(floor("unary-pingpong"));
          cells.add(floor("unary-64"));
          yield new Profile(name, 4, 5, 0.8, 1.5, 1.5, 3000, 1, false, cells);
        }
        // Each client as shipped (grpc-java: its cached pool), 64 calls in flight: for reference; one
        // JVM per client as in `full`.
        case "defaults" -> new Profile(name, 4, 5, 0.8, 1.5, 1.5, 3000, 0, false, List.of(
            pair("unary-64", "defaults", 0),
            pair("bidi-pingpong", "defaults", 0)));
        // Every cell (about an hour): for picking cells with --scenarios, --executors, --sizes.
        case "matrix" -> {
          List<Cell> cells = new ArrayList<>();
          for (int size : SIZES) {
            // The blocking stub runs callbacks on the caller's thread: the executor would not matter.
            cells.add(pair("unary-blocking", "defaults", size));
          }
          for (String scenario : List.of("unary-pingpong", "unary-64", "bidi-pingpong", "server-streaming")) {
            for (ExecutorMode executor : ExecutorMode.values()) {
              for (int size : SIZES) {
                cells.add(pair(scenario, executor.label(), size));
              }
            }
          }
          cells.add(floor("unary-pingpong"));
          cells.add(floor("unary-64"));
          yield new Profile(name, 4, 2.5, 0.8, 0, 1.5, 3000, 1, false, cells);
        }
        // Protobuf messages through generated stubs beside raw bytes, at 1 KiB: whether ours keeps its
        // ratio to grpc-java when both pay for protobuf (about 20 minutes). A 6 s warm-up: with 2.5 s
        // the stub clients' windows still held 0.6-1.4 s of JIT work; 4 s windows: with 1.5 s the
        // 64-in-flight pairs of one commit spread too widely to compare (RESULTS.md's git history).
        case "protobuf" -> new Profile(name, 4, 6, 0.8, 0, 4, 3000, 0, false, List.of(
            new Cell("unary-blocking", "defaults", 1024, List.of(OURS, GRPC_JAVA, OURS_STUBS, GRPC_JAVA_STUBS)),
            new Cell("unary-64", "fjp", 1024, List.of(OURS, GRPC_JAVA, OURS_STUBS, GRPC_JAVA_STUBS))));
        default -> throw new IllegalArgumentException(
            "profile: " + name + " (expected: quick, full, defaults, matrix, protobuf)");
      };
    }

    private static Cell pair(String scenario, String executor, int size) {
      return new Cell(scenario, executor, size, List.of(OURS, GRPC_JAVA));
    }

    /** The floor at size 0 only: with its default 64 KiB flow-control windows it is no floor above. */
    private static Cell floor(String scenario) {
      return new Cell(scenario, LoadClient.EVENT_LOOP, 0, List.of(FLOOR));
    }
  }

  /** One client run's parsed {@code RESULT} line, with the re-runs it took to get it. */
  record Run(String label, int pair, Map<String, String> values, int reRuns) {
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

    Run withReRuns(int count) {
      return new Run(label, pair, values, count);
    }
  }

  /** A figure compared between clients; lower is better except for the rate. */
  enum Metric {
    P50("p50", r -> r.get("p50")),
    P99("p99", r -> r.get("p99")),
    RATE("rate", r -> r.get("rate")),
    /** Without the JIT compiler's threads: what the client's own code costs. */
    CPU("CPU/op", r -> r.get("appCpuUsPerOp")),
    SWITCHES("cs/op", r -> r.get("voluntaryCsPerOp") + r.get("involuntaryCsPerOp")),
    /** Both directions on {@code lo}, client and server together. */
    PACKETS("packets/op", r -> r.get("packetsPerOp"));

    final String title;
    final ToDoubleFunction<Run> value;

    Metric(String title, ToDoubleFunction<Run> value) {
      this.title = title;
      this.value = value;
    }
  }

  /**
   * A bound on ours / grpc-java for one metric, at {@link #TARGET_SIZE} or, if {@code everySize}, at
   * every message size.
   */
  record Target(Metric metric, boolean atMost, double bound, boolean everySize) {
    Target(Metric metric, boolean atMost, double bound) {
      this(metric, atMost, bound, false);
    }

    boolean met(double ratio) {
      return atMost ? ratio <= bound : ratio >= bound;
    }

    @Override
    public String toString() {
      return metric.title + (atMost ? " ≤ " : " ≥ ") + bound;
    }

    /** The targets of a cell's scenario and executor (at {@link #TARGET_SIZE}). */
    static List<Target> of(String scenario, String executor) {
      return switch (scenario) {
        case "unary-blocking" -> List.of(new Target(Metric.P50, true, 0.9), new Target(Metric.P99, true, 0.9));
        case "unary-pingpong" -> executor.equals("direct") ? List.of(new Target(Metric.P50, true, 0.9)) : List.of();
        case "bidi-pingpong" -> List.of(new Target(Metric.P50, true, 0.9));
        case "unary-64" -> executor.equals("fjp")
            ? List.of(new Target(Metric.RATE, false, 1.2), new Target(Metric.CPU, true, 0.8),
                new Target(Metric.PACKETS, true, 1.0, true))
            : List.of();
        case "server-streaming" -> List.of(new Target(Metric.RATE, false, 1.0));
        default -> List.of();
      };
    }
  }

  private final String java = ProcessHandle.current().info().command()
      .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  private final String classPath = System.getProperty("java.class.path");
  private final List<String> jvmArgs;
  private final String baselineJars;
  private final Profile profile;
  private final int maxReruns;
  /**
   * Client JVMs on CPU {@value #CLIENT_CPU}, the server on {@value #SERVER_CPU} ({@code --pin}): off by
   * default, because on 2 cores it also leaves the client's JIT compiler one CPU to share with the
   * load, which put JIT work into the windows of the slow scenarios.
   */
  private boolean pin;
  private int port;
  private long serverPid;
  private String serverTransport = "unknown";
  private int runsDone;
  private int runsPlanned;
  /** Wall time of the kept runs so far, their re-runs included: the basis of the ETA. */
  private double runsWallSeconds;

  private LoadComparison(List<String> jvmArgs, String baselineJars, Profile profile, int maxReruns) {
    this.jvmArgs = jvmArgs;
    this.baselineJars = baselineJars;
    this.profile = profile;
    this.maxReruns = maxReruns;
  }

  /** Runs the comparison; see the class documentation for the options. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = LoadClient.parse(args);
    Profile named = Profile.named(opts.getOrDefault("profile", "quick"));
    List<String> extraClients = new ArrayList<>();
    if (opts.containsKey("grpc-java-noretry")) {
      extraClients.add(GRPC_JAVA_NORETRY);
    }
    if (opts.containsKey("grpc-java-no-native")) {
      extraClients.add(GRPC_JAVA_NIO);
    }
    String baseline = opts.get("baseline-jars");
    if (baseline != null) {
      extraClients.add(BASELINE);
    }
    Predicate<Cell> keep = filter(opts);
    boolean pairedFloor = opts.containsKey("paired-floor");
    List<Cell> cells = named.cells().stream().filter(keep).map(c -> c.withClients(extraClients))
        .map(c -> pairedFloor && c.takesPairedFloor() ? c.withClients(List.of(FLOOR)) : c).toList();
    int floorRuns = Integer.parseInt(opts.getOrDefault("floor-runs", Integer.toString(named.floorRuns())));
    if (floorRuns == 0) {
      cells = cells.stream().filter(c -> !c.floor()).toList();
    }
    if (cells.isEmpty()) {
      throw new IllegalArgumentException("no cell of profile " + named.name() + " matches: "
          + named.cells().stream().map(Cell::key).collect(Collectors.joining(", ")));
    }
    Profile profile = new Profile(named.name(),
        Integer.parseInt(opts.getOrDefault("pairs", Integer.toString(named.pairs()))),
        Double.parseDouble(opts.getOrDefault("warmup-seconds", Double.toString(named.warmupSeconds()))),
        Double.parseDouble(opts.getOrDefault("size-warmup-seconds", Double.toString(named.sizeWarmupSeconds()))),
        Double.parseDouble(opts.getOrDefault("group-warmup-seconds", Double.toString(named.groupWarmupSeconds()))),
        Double.parseDouble(opts.getOrDefault("seconds", Double.toString(named.seconds()))),
        Long.parseLong(opts.getOrDefault("min-samples", Long.toString(named.minSamples()))),
        floorRuns, opts.containsKey("no-pin") ? false : opts.containsKey("pin") || named.pinned(), cells);
    List<String> jvmArgs = List.of(opts.getOrDefault("jvm-args", "-Xms256m -Xmx256m").trim().split("\\s+"));
    LoadComparison c = new LoadComparison(jvmArgs, baseline, profile,
        Integer.parseInt(opts.getOrDefault("max-reruns", "2")));

    c.pin = profile.pinned();
    String plan = c.plan();
    System.err.println(plan);
    if (opts.containsKey("dry-run")) {
      return;
    }
    long started = System.nanoTime();
    Process server = c.startServer();
    Writer serverCommands = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
    BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    Map<Cell, List<Run>> results = new LinkedHashMap<>();
    try {
      // The server's code paths for every method and size of the plan get compiled before the
      // first measured run, which would otherwise pay for them (always ours: it runs first).
      for (List<Object> warmup : serverWarmups(profile.cells())) {
        c.run(GRPC_JAVA, Group.of(List.of(new Cell((String) warmup.get(0), "direct", (Integer) warmup.get(1),
            List.of(GRPC_JAVA)))), 0, SERVER_WARMUP_SECONDS, SERVER_WARMUP_WINDOW_SECONDS, 0, "[server warm-up]");
      }
      serverCommands.write("transport\n");
      serverCommands.flush();
      String answer = serverOut.readLine();
      if (answer != null && answer.startsWith("TRANSPORT ")) {
        c.serverTransport = answer.substring("TRANSPORT ".length());
      }
      System.err.println("load server transport (observed): " + c.serverTransport);
      for (Cell cell : profile.cells()) {
        results.put(cell, new ArrayList<>());
      }
      for (List<Group> batch : c.batches()) {
        List<String> order = clientsOf(batch);
        List<String> reversed = new ArrayList<>(order);
        Collections.reverse(reversed);
        order.addAll(reversed);
        boolean floor = batch.get(0).floor();
        int pairs = floor ? profile.floorRuns() : profile.pairs();
        for (int pair = 0; pair < pairs; pair++) {
          for (String client : floor ? List.of(FLOOR) : order) {
            List<Group> groups = groupsOf(batch, client);
            List<Run> runs = c.runKeepingQuiet(client, groups, pair);
            List<Cell> cellsRun = cellsOf(groups);
            for (int i = 0; i < cellsRun.size(); i++) {
              results.get(cellsRun.get(i)).add(runs.get(i));
            }
          }
        }
      }
    } finally {
      serverCommands.close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    String table = c.table(results, minutes, String.join(" ", args));
    System.out.println(table);
    if (opts.containsKey("out")) {
      Path out = Path.of(opts.get("out"));
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, table);
      System.err.println("wrote " + out);
    }
  }

  /** Keeps the cells that {@code --scenarios}, {@code --executors} and {@code --sizes} name. */
  private static Predicate<Cell> filter(Map<String, String> opts) {
    Set<String> scenarios = listOption(opts, "scenarios");
    Set<String> executors = listOption(opts, "executors");
    Set<String> sizes = listOption(opts, "sizes");
    for (String scenario : scenarios) {
      if (!LoadClient.SCENARIOS.contains(scenario)) {
        throw new IllegalArgumentException("scenario: " + scenario + " (expected: " + String.join(", ", LoadClient.SCENARIOS) + ")");
      }
    }
    executors.forEach(ExecutorMode::of);
    for (String size : sizes) {
      Integer.parseInt(size);
    }
    return cell -> (scenarios.isEmpty() || scenarios.contains(cell.scenario()))
        && (executors.isEmpty() || cell.floor() || executors.contains(cell.executor()))
        && (sizes.isEmpty() || sizes.contains(Integer.toString(cell.size())));
  }

  private static Set<String> listOption(Map<String, String> opts, String name) {
    String value = opts.get(name);
    return value == null ? Set.of() : Set.copyOf(Arrays.asList(value.split(",")));
  }

  /** One (scenario, size) per server method and size in the cells: the server warm-up runs. */
  private static List<List<Object>> serverWarmups(List<Cell> cells) {
    Set<List<Object>> warmups = new LinkedHashSet<>();
    for (Cell cell : cells) {
      String scenario = cell.scenario().startsWith("unary") ? "unary-64" : cell.scenario();
      warmups.add(List.of(scenario, cell.size()));
    }
    return List.copyOf(warmups);
  }

  /**
   * The groups whose clients are paired together: with {@link Profile#oneJvmPerClient} all groups
   * but the floor's in one batch (each client's JVM measures its groups of it), else each group
   * alone; the floor's groups always alone.
   */
  private List<List<Group>> batches() {
    List<List<Group>> batches = new ArrayList<>();
    List<Group> shared = new ArrayList<>();
    for (Group group : Group.of(profile.cells())) {
      if (profile.oneJvmPerClient() && !group.floor()) {
        shared.add(group);
      } else {
        batches.add(List.of(group));
      }
    }
    if (!shared.isEmpty()) {
      batches.add(0, shared);
    }
    return batches;
  }

  /** The cells of {@code groups}, in their order. */
  private static List<Cell> cellsOf(List<Group> groups) {
    return groups.stream().flatMap(g -> g.cells().stream()).toList();
  }

  /** The clients of a batch, in the order their groups name them (a floor's batch: the floor). */
  private static List<String> clientsOf(List<Group> batch) {
    Set<String> clients = new LinkedHashSet<>();
    batch.forEach(g -> clients.addAll(g.clients()));
    return new ArrayList<>(clients);
  }

  private static List<Group> groupsOf(List<Group> batch, String client) {
    return batch.stream().filter(g -> g.clients().contains(client)).toList();
  }

  /** The runs of each client of a batch, without re-runs. */
  private int runsPerClient(List<Group> batch) {
    return batch.get(0).floor() ? profile.floorRuns() : profile.pairs() * 2;
  }

  /** The number of client runs of the plan, without re-runs and server warm-ups. */
  private int plannedRuns() {
    return batches().stream().mapToInt(b -> runsPerClient(b) * clientsOf(b).size()).sum();
  }

  /** The client runs' seconds, re-runs left out. */
  private double runsSeconds() {
    double seconds = 0;
    for (List<Group> batch : batches()) {
      for (String client : clientsOf(batch)) {
        seconds += runsPerClient(batch) * perRunSeconds(groupsOf(batch, client));
      }
    }
    return seconds;
  }

  /** The expected duration in seconds, re-runs left out. */
  private double expectedSeconds() {
    double warmups = serverWarmups(profile.cells()).size()
        * (SERVER_WARMUP_SECONDS + SERVER_WARMUP_WINDOW_SECONDS + RUN_OVERHEAD_SECONDS);
    return 2 + warmups + runsSeconds(); // 2 s: the server's own start
  }

  /** The time the printed estimate sets aside for re-runs: {@link #RERUN_ALLOWANCE} of the runs, once. */
  private double rerunAllowanceSeconds() {
    return maxReruns == 0 ? 0 : RERUN_ALLOWANCE * runsSeconds();
  }

  /**
   * One client JVM over its groups at its longest: the warm-ups (at the JIT's slowest, {@link
   * LoadClient#MAX_WARMUP_FACTOR} times their minimum), each size's window, the JVM's start and stop.
   */
  private double perRunSeconds(List<Group> groups) {
    int sizes = cellsOf(groups).size();
    double warmups = profile.warmupSeconds() + (groups.size() - 1) * profile.groupWarmupSeconds()
        + (sizes - groups.size()) * profile.sizeWarmupSeconds();
    double tour = LoadClient.SIZE_TOUR_FACTOR * (groups.get(0).cells().size() - 1) * profile.sizeWarmupSeconds();
    return LoadClient.MAX_WARMUP_FACTOR * warmups + tour + sizes * profile.seconds() + RUN_OVERHEAD_SECONDS;
  }

  private String plan() {
    runsPlanned = plannedRuns();
    double expected = expectedSeconds();
    double allowance = rerunAllowanceSeconds();
    double worst = expected + maxReruns * runsSeconds();
    StringBuilder p = new StringBuilder();
    p.append(String.format(Locale.ROOT, "profile %s: %d cell(s), %d ABBA pair(s) each, %d client runs"
            + " (%.1f s warm-up + %.1f s per size's window, %.1f s warm-up at each further size, %s~%.1f s JVM start"
            + " and stop) + %d server warm-up run(s)%n",
        profile.name(), profile.cells().size(), profile.pairs(), runsPlanned, profile.warmupSeconds(),
        profile.seconds(), profile.sizeWarmupSeconds(), profile.oneJvmPerClient()
            ? String.format(Locale.ROOT, "%.1f s at each further scenario, ", profile.groupWarmupSeconds()) : "",
        RUN_OVERHEAD_SECONDS, serverWarmups(profile.cells()).size()));
    for (List<Group> batch : batches()) {
      for (Group group : batch) {
        p.append("  ").append(group.scenario()).append(' ').append(group.executor()).append(' ')
            .append(group.sizes().stream().map(LoadComparison::sizeText).collect(Collectors.joining(", ")))
            .append(": ").append(String.join(", ", group.clients())).append('\n');
      }
      for (String client : clientsOf(batch)) {
        List<Group> groups = groupsOf(batch, client);
        p.append(String.format(Locale.ROOT, "    %s: %d JVM run(s) of ~%.1f s over %s%n", client,
            runsPerClient(batch), perRunSeconds(groups), groups.size() == 1 ? "this group" : groups.size() + " groups"));
      }
    }
    if (maxReruns == 0) {
      p.append(String.format(Locale.ROOT, "expected duration: %.1f min (no re-runs)%n", expected / 60));
    } else {
      p.append(String.format(Locale.ROOT, "expected duration: %.1f min; %.1f min with re-runs of %.0f%% of the runs;"
              + " at most %.1f min if every run is re-run %d times%n",
          expected / 60, (expected + allowance) / 60, RERUN_ALLOWANCE * 100, worst / 60, maxReruns));
    }
    return p.toString();
  }

  /** {@code taskset -c CPU} when runs are pinned, else nothing. */
  private List<String> pinned(int cpu) {
    return pin ? List.of("taskset", "-c", Integer.toString(cpu)) : List.of();
  }

  private Process startServer() throws IOException {
    List<String> cmd = new ArrayList<>(pinned(SERVER_CPU));
    cmd.add(java);
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", classPath, LoadServer.class.getName()));
    Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    // Read byte by byte up to the first newline: a BufferedReader here would keep later lines.
    StringBuilder line = new StringBuilder();
    for (int b = server.getInputStream().read(); b != -1 && b != '\n'; b = server.getInputStream().read()) {
      line.append((char) b);
    }
    if (!line.toString().startsWith("PORT ")) {
      server.destroyForcibly();
      throw new IOException("LoadServer did not start: " + line);
    }
    String[] f = line.toString().split(" ");
    port = Integer.parseInt(f[1]);
    serverPid = Long.parseLong(f[3]);
    System.err.println("load server on 127.0.0.1:" + port + ", pid " + serverPid);
    return server;
  }

  /**
   * Runs a client over its groups' cells, again in place while any window is noisy, up to
   * {@link #maxReruns} times; returns one run per cell, in the groups' order.
   */
  private List<Run> runKeepingQuiet(String label, List<Group> groups, int pair)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    // The runs left are expected to cost what the kept runs so far did, re-runs included.
    String eta = runsDone == 0 ? ""
        : String.format(Locale.ROOT, ", ETA %.1f min", (runsPlanned - runsDone) * runsWallSeconds / runsDone / 60);
    String progress = "[" + (runsDone + 1) + "/" + runsPlanned + eta + "]";
    List<Run> runs = run(label, groups, pair, profile.warmupSeconds(), profile.seconds(), profile.minSamples(),
        progress);
    int reRuns = 0;
    while (runs.stream().anyMatch(Run::noisy) && runs.stream().noneMatch(Run::failed) && reRuns < maxReruns) {
      reRuns++;
      runs = run(label, groups, pair, profile.warmupSeconds(), profile.seconds(), profile.minSamples(),
          "[" + (runsDone + 1) + "/" + runsPlanned + " re-run " + reRuns + "/" + maxReruns + "]");
    }
    runsDone++;
    runsWallSeconds += (System.nanoTime() - started) / 1e9;
    int counted = reRuns;
    return runs.stream().map(r -> r.withReRuns(counted)).toList();
  }

  /** One client JVM over its groups; one run per cell, in order (empty values where it failed). */
  private List<Run> run(String label, List<Group> groups, int pair, double warmupSeconds, double seconds,
      long minSamples, String progress) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(pinned(CLIENT_CPU));
    cmd.add(java);
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
    String groupsArg = groups.stream()
        .map(g -> new LoadClient.Group(g.scenario(),
            ExecutorMode.of(g.executor().equals(LoadClient.EVENT_LOOP) ? "direct" : g.executor()), g.sizes()).arg())
        .collect(Collectors.joining(";"));
    cmd.addAll(List.of("-cp", cp, LoadClient.class.getName(),
        "--client", client, "--groups", groupsArg,
        "--size-warmup-seconds", Double.toString(profile.sizeWarmupSeconds()),
        "--group-warmup-seconds", Double.toString(profile.groupWarmupSeconds()),
        "--port", Integer.toString(port), "--server-pid", Long.toString(serverPid),
        "--warmup-seconds", Double.toString(warmupSeconds), "--seconds", Double.toString(seconds),
        "--min-samples", Long.toString(minSamples)));
    Path stdout = Files.createTempFile("load-client", ".out");
    long started = System.nanoTime();
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectOutput(stdout.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      int sizes = cellsOf(groups).size();
      long limit = (long) (LoadClient.MAX_WARMUP_FACTOR * (warmupSeconds + groups.size() * profile.groupWarmupSeconds()
          + sizes * profile.sizeWarmupSeconds()) + LoadClient.SIZE_TOUR_FACTOR * sizes * profile.sizeWarmupSeconds()
          + sizes * 3 * seconds) + 30 + 5L * groups.size();
      if (!p.waitFor(limit, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        System.err.println("client run timed out: " + label + " " + groupsArg);
      }
      Map<String, Map<String, String>> byCell = new LinkedHashMap<>();
      for (String line : Files.readAllLines(stdout)) {
        if (line.startsWith("RESULT ")) {
          Map<String, String> values = new LinkedHashMap<>();
          for (String kv : line.substring(7).trim().split(" ")) {
            int eq = kv.indexOf('=');
            values.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          byCell.put(Cell.key(values.get("scenario"), values.get("executor"), values.get("size")), values);
        }
      }
      List<Run> runs = new ArrayList<>();
      for (Cell cell : cellsOf(groups)) {
        // The floor reports its executor as the event loop, also in a cell it is paired into.
        Map<String, String> values = byCell.getOrDefault(cell.key(),
            byCell.getOrDefault(Cell.key(cell.scenario(), LoadClient.EVENT_LOOP, cell.size()), Map.of()));
        Run run = new Run(label, pair, values, 0);
        runs.add(run);
        System.err.printf(Locale.ROOT,
            "%s %s %s %s %s: p50 %s µs, rate %s/s, CPU %s µs/op, %s, foreign %s cores, %.1f s%s%n",
            progress, cell.scenario(), cell.executor(), sizeText(cell.size()), label,
            values.get("p50"), values.get("rate"), values.get("cpuUsPerOp"), values.get("transport"),
            values.get("foreignCores"), (System.nanoTime() - started) / 1e9,
            run.failed() ? "  FAILED" : run.noisy() ? "  noisy" : "");
      }
      return runs;
    } finally {
      Files.deleteIfExists(stdout);
    }
  }

  private String table(Map<Cell, List<Run>> results, double minutes, String args) {
    double expected = expectedSeconds();
    double allowance = rerunAllowanceSeconds();
    int reRuns = results.values().stream().flatMap(List::stream).mapToInt(Run::reRuns).sum();
    StringBuilder t = new StringBuilder();
    t.append("## Side by side with grpc-java (`scripts/bench.sh load").append(args.isEmpty() ? "" : " " + args)
        .append("`)\n\n");
    t.append(String.format(Locale.ROOT,
        "Profile `%s`, %s: warm-up %.1f s, measured %.1f s per size (up to %.1f s while a latency window has fewer "
            + "than %d samples), %d ABBA pair(s) per cell (each client once, then in reverse order), each run a "
            + "fresh client JVM (`%s`) that measures %s, with %.1f s of warm-up at "
            + "each further size. Server: grpc-java's benchmark service (grpc-benchmarks `AsyncServer."
            + "BenchmarkServiceImpl`, direct executor) on grpc-netty with our Netty, own JVM, transport observed: "
            + "**%s**. Requests: a hand-encoded `SimpleRequest` with a payload of `size` bytes asking for a "
            + "response of `size` bytes (0 B: the empty message). Executors: `direct`; `fjp` = both clients "
            + "given `new ForkJoinPool(nproc, default factory, null, asyncMode=true)` (grpc-java's benchmark "
            + "client's pool); `defaults` = each as shipped (ours: its FIFO ForkJoinPool, grpc-java: its cached "
            + "pool); `unary-blocking` runs callbacks on the caller's thread in both; the floor has no executor. "
            + "Medians over runs; latency in µs; rate in calls/s (server-streaming: messages/s); CPU = client "
            + "process CPU µs per call or message, `of it JIT` = its JIT compiler threads' part (the ratios' "
            + "CPU/op leaves it out); cs = context switches per op, voluntary and involuntary, "
            + "summed over the client's threads but the JIT's (threads that ended in the window are missed); bytes and "
            + "packets on `lo` per op (both directions); transport = the Netty transport seen in the stacks of "
            + "the client threads that worked; warm-up = seconds before the window (the minimum, longer while the JIT "
            + "compiled more than 40 ms per 0.5 s, up to twice the minimum); JIT = compile ms in the window. %s Expected %.1f min%s, took "
            + "%.1f min.%n%n",
        profile.name(), profile.pinned()
            ? "client JVMs pinned to CPU " + CLIENT_CPU + " and the server to CPU " + SERVER_CPU + " (`taskset`), as on "
                + "two machines: each side's threads compete only with each other"
            : "nothing pinned",
        profile.warmupSeconds(), profile.seconds(), 3 * profile.seconds(), profile.minSamples(),
        profile.pairs(), String.join(" ", jvmArgs), profile.oneJvmPerClient()
            ? String.format(Locale.ROOT, "every cell of its client in the table's order (the floor's apart), each "
                + "scenario and executor with a channel of its own after %.1f s of warm-up (the first after the "
                + "warm-up above; longer while the JIT is busy, as that one), its sizes smallest first",
                profile.groupWarmupSeconds())
            : "its cell's sizes smallest first",
        profile.sizeWarmupSeconds(), serverTransport,
        maxReruns == 0
            ? String.format(Locale.ROOT, "Re-runs were off (`--max-reruns 0`): noisy = runs during which other "
                + "processes used > %.2f cores.", NOISY_CORES)
            : String.format(Locale.ROOT, "A run during which other processes used > %.2f cores was re-run in "
                + "place, up to %d times (%d re-run(s) in all); noisy = runs still over it.", NOISY_CORES, maxReruns,
                reRuns),
        expected / 60,
        maxReruns == 0 ? "" : String.format(Locale.ROOT, " (%.1f min with a %.0f%% re-run allowance)",
            (expected + allowance) / 60, RERUN_ALLOWANCE * 100),
        minutes));
    t.append("| scenario | executor | size | client | transport | ops | p50 | p90 | p99 | rate | CPU µs/op "
        + "| of it JIT | server CPU µs/op | vol. cs/op | invol. cs/op | bytes/op | packets/op | threads | warm-up s | JIT ms | noisy "
        + "| re-runs |\n");
    t.append("|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
    results.forEach((cell, runs) -> {
      for (String label : cell.clients()) {
        List<Run> all = runs.stream().filter(r -> r.label().equals(label)).toList();
        List<Run> mine = all.stream().filter(r -> !r.failed()).toList();
        long noisy = mine.stream().filter(Run::noisy).count();
        long failed = all.size() - mine.size();
        String transports = all.stream().map(r -> r.values().getOrDefault("transport", "?"))
            .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(", "));
        t.append("| ").append(cell.scenario()).append(" | ").append(cell.executor()).append(" | ")
            .append(sizeText(cell.size())).append(" | ").append(label).append(" | ").append(transports)
            .append(" | ").append(num(median(mine, r -> r.get("ops"))))
            .append(" | ").append(num(median(mine, r -> r.get("p50"))))
            .append(" | ").append(num(median(mine, r -> r.get("p90"))))
            .append(" | ").append(num(median(mine, r -> r.get("p99"))))
            .append(" | ").append(num(median(mine, r -> r.get("rate"))))
            .append(" | ").append(num(median(mine, r -> r.get("cpuUsPerOp"))))
            .append(" | ").append(num(median(mine, r -> r.get("jitCpuUsPerOp"))))
            .append(" | ").append(num(median(mine, r -> r.get("serverCpuUsPerOp"))))
            .append(" | ").append(fixed(median(mine, r -> r.get("voluntaryCsPerOp"))))
            .append(" | ").append(fixed(median(mine, r -> r.get("involuntaryCsPerOp"))))
            .append(" | ").append(num(median(mine, r -> r.get("bytesPerOp"))))
            .append(" | ").append(fixed(median(mine, r -> r.get("packetsPerOp"))))
            .append(" | ").append(String.format(Locale.ROOT, "%.0f", median(mine, r -> r.get("threads"))))
            .append(" | ").append(fixed(median(mine, r -> r.get("warmupSeconds"))))
            .append(" | ").append(String.format(Locale.ROOT, "%.0f", median(mine, r -> r.get("jitMs"))))
            .append(" | ").append(noisy).append('/').append(mine.size())
            .append(failed > 0 ? " (" + failed + " failed)" : "")
            .append(" | ").append(all.stream().mapToInt(Run::reRuns).sum())
            .append(" |\n");
      }
    });

    t.append("\nRatios: per pair, the mean of one client's two runs over the other's; the median over pairs, "
        + "with the range over all pairs in brackets. Below 1 is better for ours for latency, CPU, context "
        + "switches and packets, above 1 for rate. Target verdicts (ours / grpc-java at 0 B, and for packets at "
        + "every size): win or loss only when every "
        + "pair is on the same side of the target, mixed otherwise (with one pair a verdict says little). "
        + "At 1 KiB and 64 KiB, `vs 0 B` is the cell's median ratio over the 0 B cell's (same scenario and "
        + "executor): above 1 for latency or CPU, or below 1 for rate, means ours loses ground as messages "
        + "grow. In a `"+ OURS_STUBS + " / " + GRPC_JAVA_STUBS + "` row (both clients through their generated stubs, "
        + "`SimpleRequest` messages serialized and responses parsed on every call), that column is `vs bytes`: per pair, "
        + "that ratio over the same pair's raw-bytes ratio.\n\n");
    t.append("| scenario | executor | size | ratio | p50 | p99 | rate | CPU/op | cs/op | packets/op | target | vs 0 B "
        + "| noisy runs | re-runs |\n");
    t.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|---:|\n");
    // Medians of every cell first: a 1 KiB cell is compared with the 0 B cell wherever that is.
    Map<String, Map<Metric, Double>> medians = new LinkedHashMap<>(); // cell key + ratio → metric → median
    results.forEach((cell, runs) -> {
      if (!cell.floor()) {
        for (String[] ratio : ratios(cell)) {
          Map<Metric, Double> median = new LinkedHashMap<>();
          perPairRatios(runs, ratio).forEach((metric, values) -> median.put(metric, median(values)));
          medians.put(cell.key() + "|" + ratio[0] + "/" + ratio[1], median);
        }
      }
    });
    results.forEach((cell, runs) -> {
      if (cell.floor()) {
        return;
      }
      for (String[] ratio : ratios(cell)) {
        Map<Metric, List<Double>> perPair = perPairRatios(runs, ratio);
        Map<Metric, Double> median = medians.get(cell.key() + "|" + ratio[0] + "/" + ratio[1]);
        List<Run> involved = runs.stream()
            .filter(r -> r.label().equals(ratio[0]) || r.label().equals(ratio[1])).toList();
        long noisy = involved.stream().filter(r -> !r.failed() && r.noisy()).count();
        t.append("| ").append(cell.scenario()).append(" | ").append(cell.executor()).append(" | ")
            .append(sizeText(cell.size())).append(" | ").append(ratio[0]).append(" / ").append(ratio[1]);
        for (Metric metric : Metric.values()) {
          t.append(" | ").append(ratioText(perPair.get(metric)));
        }
        // The floor against grpc-java gets the same verdicts: whether any client on Netty meets them.
        boolean main = (ratio[0].equals(OURS) || ratio[0].equals(FLOOR)) && ratio[1].equals(GRPC_JAVA);
        boolean stubs = ratio[0].equals(OURS_STUBS) && cell.clients().contains(OURS) && cell.clients().contains(GRPC_JAVA);
        t.append(" | ").append(main ? verdicts(cell, perPair) : "")
            .append(" | ").append(stubs ? versusBytes(perPair, perPairRatios(runs, new String[] {OURS, GRPC_JAVA}))
                : cell.size() == TARGET_SIZE ? "" : versusTargetSize(cell, ratio, median, medians))
            .append(" | ").append(noisy).append('/').append(involved.size())
            .append(" | ").append(involved.stream().mapToInt(Run::reRuns).sum())
            .append(" |\n");
      }
    });
    return t.toString();
  }

  /** The ratios reported for a cell: numerator and denominator labels. */
  private static List<String[]> ratios(Cell cell) {
    List<String[]> ratios = new ArrayList<>();
    List<String> clients = cell.clients();
    if (clients.contains(OURS) && clients.contains(GRPC_JAVA)) {
      ratios.add(new String[] {OURS, GRPC_JAVA});
    }
    for (String other : List.of(GRPC_JAVA_NORETRY, GRPC_JAVA_NIO)) {
      if (clients.contains(OURS) && clients.contains(other)) {
        ratios.add(new String[] {OURS, other});
      }
    }
    if (clients.contains(BASELINE) && clients.contains(OURS)) {
      ratios.add(new String[] {BASELINE, OURS});
    }
    if (clients.contains(OURS_STUBS) && clients.contains(GRPC_JAVA_STUBS)) {
      ratios.add(new String[] {OURS_STUBS, GRPC_JAVA_STUBS});
    }
    if (!cell.floor() && clients.contains(FLOOR)) {
      ratios.add(new String[] {FLOOR, GRPC_JAVA});
      ratios.add(new String[] {OURS, FLOOR});
    }
    return ratios;
  }

  /** Per metric, each pair's ratio of means (NaN where a side has no successful run). */
  private Map<Metric, List<Double>> perPairRatios(List<Run> runs, String[] ratio) {
    Map<Metric, List<Double>> perPair = new LinkedHashMap<>();
    for (Metric metric : Metric.values()) {
      List<Double> values = new ArrayList<>();
      for (int pair = 0; pair < profile.pairs(); pair++) {
        int p = pair;
        List<Run> num = runs.stream()
            .filter(r -> r.pair() == p && r.label().equals(ratio[0]) && !r.failed()).toList();
        List<Run> den = runs.stream()
            .filter(r -> r.pair() == p && r.label().equals(ratio[1]) && !r.failed()).toList();
        values.add(mean(num, metric.value) / mean(den, metric.value));
      }
      perPair.put(metric, values);
    }
    return perPair;
  }

  /** "p50 ≤ 0.9: win; p99 ≤ 0.9: mixed" for the cell's targets at its size. */
  private static String verdicts(Cell cell, Map<Metric, List<Double>> perPair) {
    List<String> verdicts = new ArrayList<>();
    for (Target target : Target.of(cell.scenario(), cell.executor())) {
      if (cell.size() != TARGET_SIZE && !target.everySize()) {
        continue;
      }
      List<Double> values = perPair.get(target.metric());
      String verdict;
      if (values.isEmpty() || values.stream().anyMatch(v -> v.isNaN())) {
        verdict = "n/a (failed runs)";
      } else if (values.stream().allMatch(target::met)) {
        verdict = "**win**";
      } else if (values.stream().noneMatch(target::met)) {
        verdict = "**loss**";
      } else {
        verdict = "mixed";
      }
      verdicts.add(target + ": " + verdict);
    }
    return String.join("; ", verdicts);
  }

  /** "p50 ×1.05, p99 ×1.10": this cell's median ratios over the 0 B cell's, for the target metrics. */
  private static String versusTargetSize(Cell cell, String[] ratio, Map<Metric, Double> median,
      Map<String, Map<Metric, Double>> medians) {
    Map<Metric, Double> zero = medians.get(
        new Cell(cell.scenario(), cell.executor(), TARGET_SIZE, cell.clients()).key() + "|" + ratio[0] + "/" + ratio[1]);
    if (zero == null) {
      return "– (no 0 B cell)";
    }
    List<Metric> metrics = Target.of(cell.scenario(), cell.executor()).stream()
        .filter(target -> !target.everySize()).map(Target::metric).toList();
    if (metrics.isEmpty()) {
      metrics = List.of(Metric.P50, Metric.RATE, Metric.CPU);
    }
    List<String> parts = new ArrayList<>();
    for (Metric metric : metrics) {
      parts.add(metric.title + " ×" + ratioText(median.get(metric) / zero.get(metric)));
    }
    return String.join(", ", parts);
  }

  /**
   * "vs bytes: p50 ×0.98 [0.95–1.01], …": per pair, the protobuf ratio (ours / grpc-java through
   * generated stubs) over the raw-bytes ratio of the same pair; at most 1 for latency and CPU, at
   * least 1 for rate, means ours loses nothing to grpc-java when both pay for protobuf.
   */
  private static String versusBytes(Map<Metric, List<Double>> stubs, Map<Metric, List<Double>> bytes) {
    List<String> parts = new ArrayList<>();
    for (Metric metric : List.of(Metric.P50, Metric.RATE, Metric.CPU)) {
      List<Double> over = new ArrayList<>();
      for (int i = 0; i < stubs.get(metric).size(); i++) {
        over.add(stubs.get(metric).get(i) / bytes.get(metric).get(i));
      }
      parts.add(metric.title + " ×" + ratioText(over));
    }
    return "vs bytes: " + String.join(", ", parts);
  }

  private static String sizeText(int size) {
    if (size >= 1024 && size % 1024 == 0) {
      return size / 1024 + " KiB";
    }
    return size + " B";
  }

  private static double mean(List<Run> runs, ToDoubleFunction<Run> metric) {
    return runs.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
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

  private static String fixed(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String ratioText(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

  /** The median of the pairs' ratios, and their range when there is more than one pair. */
  private static String ratioText(List<Double> perPair) {
    double median = median(perPair);
    double[] v = perPair.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length < 2) {
      return ratioText(median);
    }
    return ratioText(median) + " [" + ratioText(v[0]) + "–" + ratioText(v[v.length - 1]) + "]";
  }
}
