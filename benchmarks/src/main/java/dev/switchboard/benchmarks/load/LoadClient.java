package dev.switchboard.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One measured run of one client, in a JVM of its own, in one scenario or in several one after the
 * other:
 *
 * <pre>
 * LoadClient --client switchboard|grpc-java|grpc-java-noretry|netty-floor
 *            --scenario unary-blocking|unary-pingpong|unary-64|bidi-pingpong|server-streaming
 *            --executor direct|fjp|defaults [--sizes BYTES,BYTES...] --port N [--server-pid P]
 *            --warmup-seconds W [--size-warmup-seconds V] --seconds S [--min-samples M]
 * LoadClient --client ... --groups SCENARIO/EXECUTOR/BYTES,BYTES;SCENARIO/EXECUTOR/BYTES...
 *            [--group-warmup-seconds G] --port N ... (the same options)
 * </pre>
 *
 * <p>With {@code --groups} the JVM measures each group in turn with a client of its own (its
 * executor), the first after the warm-up W and each further one after G seconds at least (longer
 * while the JIT is busy, as W): the JIT's work on the code the groups share is done once, in the
 * first warm-up, instead of again in every run.
 *
 * <p>Every call sends {@link SimpleRequests#of(int) SimpleRequests.of(size)}: a payload of
 * {@code size} bytes asking for a response of {@code size} bytes. {@code --executor} is an
 * {@link ExecutorMode}; the floor ignores it (everything on its event loop). After the warm-up (W
 * seconds at least, longer while the JIT compiler is busy: see {@link #warmUp}) it measures for S
 * seconds, longer (up to 3 S) while a latency scenario has fewer than M samples, and
 * prints one line {@code RESULT key=value ...}. With several sizes (default: 0 only) the first
 * warm-up starts with 2 V seconds at each further size, so that their code is compiled too, and
 * the load goes on with each next size after the window of the one before: V seconds of warm-up at
 * the new size, then its window and its line. Every client of a comparison
 * measures the sizes in the same order. Each line holds:
 *
 * <ul>
 *   <li>latency percentiles in µs (HdrHistogram; NaN for server streaming), the number of
 *       operations and the rate (calls or messages per second);
 *   <li>the client's CPU µs per operation (process CPU time), the part of it its JIT compiler's
 *       threads used, the rest (the client's own work), and the server's (from
 *       {@code /proc/PID/stat} when its pid is given);
 *   <li>voluntary and involuntary context switches per operation, summed over the client's threads
 *       ({@code /proc/self/task/TID/status}, {@code voluntary_ctxt_switches} and
 *       {@code nonvoluntary_ctxt_switches}, at both edges of the window; a thread born in the
 *       window counts from 0, a thread that ended in it is missed);
 *   <li>loopback bytes and packets per operation ({@code /proc/net/dev}, {@code lo}, received side:
 *       every loopback packet is counted once there);
 *   <li>the transport observed ({@link TransportProbe}, sampled right after the window), live
 *       threads at the end of the window, and the JIT compiler's milliseconds in the window (a
 *       large figure means the warm-up was too short);
 *   <li>the CPU cores used during the window by every other process on the machine
 *       ({@code /proc/stat} minus client and server): above 0.15 the comparison re-runs the run.
 * </ul>
 *
 * <p>Not thread-safe: a command-line entry point.
 */
public final class LoadClient {

  /** Calls in flight for {@code unary-64}. */
  static final int OUTSTANDING = 64;
  /** The client names {@code --client} accepts. */
  static final List<String> CLIENTS = List.of("switchboard", "grpc-java", "grpc-java-noretry", "netty-floor",
      "switchboard-protobuf", "grpc-java-protobuf");
  /** The scenarios {@code --scenario} accepts. */
  static final List<String> SCENARIOS =
      List.of("unary-blocking", "unary-pingpong", "unary-64", "bidi-pingpong", "server-streaming");
  /** The executor label of the floor's runs: it has no executor, everything runs on its loop. */
  static final String EVENT_LOOP = "event-loop";
  private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux
  /** JIT milliseconds per {@link #JIT_QUIET_WINDOW_MILLIS} below which the warm-up may end. */
  static final long JIT_QUIET_MILLIS = 40;
  static final long JIT_QUIET_WINDOW_MILLIS = 500;
  /** Each further size's part of the first warm-up, in units of the size warm-up. */
  static final int SIZE_TOUR_FACTOR = 2;
  /** The warm-up goes on at most this many times its minimum while the JIT is busy. */
  static final double MAX_WARMUP_FACTOR = 2;
  /** How often a window that lacks samples checks again. */
  private static final long EXTENSION_STEP_NANOS = 50_000_000L;

  private final Recorder latencies = new Recorder(3);
  /** Completed latency samples, read while the window is open to see whether it has enough. */
  private final LongAdder samples = new LongAdder();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<Throwable> firstError = new AtomicReference<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean running = true;

  private LoadClient() {}

  /** Runs the measurements; see the class documentation for the arguments. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    String clientName = opts.getOrDefault("client", "switchboard");
    List<Group> groups = opts.containsKey("groups")
        ? Arrays.stream(opts.get("groups").split(";")).map(Group::parse).toList()
        : List.of(new Group(opts.getOrDefault("scenario", "unary-blocking"),
            ExecutorMode.of(opts.getOrDefault("executor", "defaults")), sizeList(opts.getOrDefault("sizes", "0"))));
    int port = Integer.parseInt(require(opts, "port"));
    long serverPid = Long.parseLong(opts.getOrDefault("server-pid", "0"));
    double warmup = Double.parseDouble(opts.getOrDefault("warmup-seconds", "4"));
    double groupWarmup = Double.parseDouble(opts.getOrDefault("group-warmup-seconds", "1.5"));
    double sizeWarmup = Double.parseDouble(opts.getOrDefault("size-warmup-seconds", "1"));
    double seconds = Double.parseDouble(opts.getOrDefault("seconds", "2"));
    long minSamples = Long.parseLong(opts.getOrDefault("min-samples", "0"));
    for (Group group : groups) {
      if (!SCENARIOS.contains(group.scenario())) {
        throw new IllegalArgumentException("scenario: " + group.scenario()
            + " (expected: " + String.join(", ", SCENARIOS) + ")");
      }
    }
    for (int g = 0; g < groups.size(); g++) {
      Group group = groups.get(g);
      RpcClient client = newClient(clientName, port, group.executor(), SimpleRequests.of(group.sizes().get(0)));
      String executorLabel = clientName.equals("netty-floor") ? EVENT_LOOP : group.executor().label();
      LoadClient run = new LoadClient();
      run.start(client, group.scenario());
      if (g == 0) {
        tourFurtherSizes(client, group.sizes(), sizeWarmup);
      }
      for (int i = 0; i < group.sizes().size(); i++) {
        if (i > 0) {
          client.useRequest(SimpleRequests.of(group.sizes().get(i)));
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put("client", clientName);
        result.put("scenario", group.scenario());
        result.put("executor", executorLabel);
        result.put("size", Integer.toString(group.sizes().get(i)));
        double warmupSeconds = i > 0 ? sizeWarmup : g > 0 ? groupWarmup : warmup;
        result.putAll(run.measure(group.scenario(), serverPid, warmupSeconds, seconds, minSamples));
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        System.out.flush();
      }
      run.stop(client);
    }
    // Event loops and pools of either client may keep the JVM alive for a moment: do not wait.
    System.exit(0);
  }

  /**
   * Runs the load at each size after the first for {@value #SIZE_TOUR_FACTOR} × {@code sizeWarmup}
   * seconds, then back at the first: the first warm-up compiles the code of large messages too,
   * which the short warm-up at each further size would otherwise leave to that size's window.
   */
  private static void tourFurtherSizes(RpcClient client, List<Integer> sizes, double sizeWarmup)
      throws InterruptedException {
    if (sizes.size() < 2) {
      return;
    }
    for (int size : sizes.subList(1, sizes.size())) {
      client.useRequest(SimpleRequests.of(size));
      sleepNanos((long) (SIZE_TOUR_FACTOR * sizeWarmup * 1e9));
    }
    client.useRequest(SimpleRequests.of(sizes.get(0)));
  }

  /** A scenario and executor, measured at these sizes in this order by one client. */
  record Group(String scenario, ExecutorMode executor, List<Integer> sizes) {
    /** {@code scenario/executor/size,size...}, as {@code --groups} takes it. */
    static Group parse(String text) {
      String[] parts = text.split("/");
      if (parts.length != 3) {
        throw new IllegalArgumentException("group: " + text + " (expected scenario/executor/size,size...)");
      }
      return new Group(parts[0], ExecutorMode.of(parts[1]), sizeList(parts[2]));
    }

    /** The form {@link #parse} reads. */
    String arg() {
      return scenario + "/" + executor.label() + "/"
          + sizes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
  }

  private static List<Integer> sizeList(String list) {
    return Arrays.stream(list.split(",")).map(Integer::parseInt).toList();
  }

  private static RpcClient newClient(String clientName, int port, ExecutorMode executor, byte[] request) {
    return switch (clientName) {
      case "switchboard" -> new SwitchboardRpcClient(port, executor, request);
      case "grpc-java" -> new GrpcJavaRpcClient(port, executor, request, true);
      case "grpc-java-noretry" -> new GrpcJavaRpcClient(port, executor, request, false);
      case "netty-floor" -> new NettyFloorClient(port, request);
      case "switchboard-protobuf" -> new SwitchboardStubClient(port, executor, request);
      case "grpc-java-protobuf" -> new GrpcJavaStubClient(port, executor, request);
      default -> throw new IllegalArgumentException(
          "client: " + clientName + " (expected: " + String.join(", ", CLIENTS) + ")");
    };
  }

  /** Starts the scenario's load; it runs until {@link #stop}. */
  private void start(RpcClient client, String scenario) {
    switch (scenario) {
      case "unary-blocking" -> startBlockingLoop(client);
      case "unary-pingpong" -> startUnaryChains(client, 1);
      case "unary-64" -> startUnaryChains(client, OUTSTANDING);
      case "bidi-pingpong" -> startBidi(client);
      case "server-streaming" -> startServerStreaming(client);
      default -> throw new IllegalArgumentException("scenario: " + scenario);
    }
  }

  /** Lets the running load warm up, then measures one window. */
  private Map<String, String> measure(String scenario, long serverPid, double warmupSeconds,
      double seconds, long minSamples) throws Exception {
    boolean latencyMeasured = !scenario.equals("server-streaming");
    double warmedFor = warmUp(warmupSeconds);

    Map<Long, Long> threadCpuAtStart = TransportProbe.threadCpuNanos();
    latencies.getIntervalHistogram(); // drops the warm-up
    long samplesBefore = samples.sum();
    long messagesBefore = messages.get();
    Snapshot before = Snapshot.take(serverPid);
    sleepNanos((long) (seconds * 1e9));
    // p99 needs samples: a slow latency scenario gets a longer window, not a thinner percentile.
    long longest = before.nanos + (long) (3 * seconds * 1e9);
    while (latencyMeasured && samples.sum() - samplesBefore < minSamples && System.nanoTime() < longest) {
      sleepNanos(EXTENSION_STEP_NANOS);
    }
    Snapshot after = Snapshot.take(serverPid);
    Histogram window = latencies.getIntervalHistogram();
    long messagesAfter = messages.get();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    // After the window (the load still runs): the samples' safepoints are not measured.
    String transport = TransportProbe.observe(threadCpuAtStart);

    double elapsed = (after.nanos - before.nanos) / 1e9;
    long ops = latencyMeasured ? window.getTotalCount() : messagesAfter - messagesBefore;
    double perOp = Math.max(ops, 1);
    long ownCpu = after.processCpuNanos - before.processCpuNanos;
    long serverCpu = after.serverCpuNanos - before.serverCpuNanos;
    long machineBusy = after.machineBusyNanos - before.machineBusyNanos;
    long[] switches = ContextSwitches.between(before.contextSwitches, after.contextSwitches);
    Map<String, String> r = new LinkedHashMap<>();
    r.put("ops", Long.toString(ops));
    r.put("seconds", fmt(elapsed));
    r.put("rate", fmt(ops / elapsed));
    r.put("p50", latencyMeasured ? fmt(window.getValueAtPercentile(50) / 1e3) : "NaN");
    r.put("p90", latencyMeasured ? fmt(window.getValueAtPercentile(90) / 1e3) : "NaN");
    r.put("p99", latencyMeasured ? fmt(window.getValueAtPercentile(99) / 1e3) : "NaN");
    r.put("cpuUsPerOp", fmt(ownCpu / 1e3 / perOp));
    long jitCpu = switches[2] * CLOCK_TICK_NANOS;
    r.put("jitCpuUsPerOp", fmt(jitCpu / 1e3 / perOp));
    r.put("appCpuUsPerOp", fmt(Math.max(0, ownCpu - jitCpu) / 1e3 / perOp));
    r.put("serverCpuUsPerOp", serverPid > 0 ? fmt(serverCpu / 1e3 / perOp) : "NaN");
    r.put("voluntaryCsPerOp", fmt(switches[0] / perOp));
    r.put("involuntaryCsPerOp", fmt(switches[1] / perOp));
    r.put("bytesPerOp", fmt((after.loBytes - before.loBytes) / perOp));
    r.put("packetsPerOp", fmt((after.loPackets - before.loPackets) / perOp));
    r.put("threads", Integer.toString(threads));
    r.put("jitMs", Long.toString(after.jitMillis - before.jitMillis));
    r.put("warmupSeconds", fmt(warmedFor));
    r.put("transport", transport);
    r.put("clientCores", fmt(ownCpu / 1e9 / elapsed));
    r.put("foreignCores", fmt(Math.max(0, machineBusy - ownCpu - serverCpu) / 1e9 / elapsed));
    r.put("errors", Long.toString(errors.getAndSet(0)));
    Throwable error = firstError.getAndSet(null);
    if (error != null) {
      System.err.println("first error of " + scenario + ":");
      error.printStackTrace();
    }
    return r;
  }

  /** Blocking stub on one driver thread, one call at a time, as users write it. */
  private void startBlockingLoop(RpcClient client) {
    Thread driver = new Thread(() -> {
      while (running) {
        long t0 = System.nanoTime();
        try {
          client.blockingUnary();
          latencies.recordValue(System.nanoTime() - t0);
          samples.increment();
        } catch (RuntimeException e) {
          fail(e);
          return;
        }
      }
    }, "load-driver");
    driver.setDaemon(true);
    driver.start();
  }

  /** {@code n} asynchronous chains: each completion starts the chain's next call. */
  private void startUnaryChains(RpcClient client, int n) {
    for (int i = 0; i < n; i++) {
      inFlight.incrementAndGet();
      nextUnary(client);
    }
  }

  private void nextUnary(RpcClient client) {
    long t0 = System.nanoTime();
    client.asyncUnary(error -> {
      if (error != null) {
        inFlight.decrementAndGet();
        fail(error);
        return;
      }
      latencies.recordValue(System.nanoTime() - t0);
      samples.increment();
      if (running) {
        nextUnary(client);
      } else {
        inFlight.decrementAndGet();
      }
    });
  }

  /** The open stream of the streaming scenarios, cancelled at the end. */
  private volatile RpcClient.Stream stream;
  /** When the bidi request in flight was sent; sender and callback alternate strictly. */
  private volatile long sentAt;

  /** One {@code StreamingCall}: send, wait for its response, send the next from the callback. */
  private void startBidi(RpcClient client) {
    // The first response can only come after the first send, so the callback sees the stream.
    stream = client.bidi(() -> {
      latencies.recordValue(System.nanoTime() - sentAt);
      samples.increment();
      if (running) {
        sentAt = System.nanoTime();
        stream.send();
      }
    }, this::fail);
    sentAt = System.nanoTime();
    stream.send();
  }

  /** One {@code StreamingFromServer} call; counts messages. */
  private void startServerStreaming(RpcClient client) {
    stream = client.serverStreaming(messages::incrementAndGet, error -> {
      if (running) {
        fail(error);
      }
    });
  }

  private void fail(Throwable error) {
    if (running) {
      errors.incrementAndGet();
      firstError.compareAndSet(null, error);
    }
  }

  private void stop(RpcClient client) {
    running = false;
    RpcClient.Stream s = stream;
    if (s != null) {
      s.cancel();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
    client.close();
  }

  /**
   * Lets the load run for at least {@code minSeconds}, then on while the JIT compiler is still
   * busy: until it has compiled for less than {@value #JIT_QUIET_MILLIS} ms in the last
   * {@value #JIT_QUIET_WINDOW_MILLIS} ms, for {@value #MAX_WARMUP_FACTOR} × {@code minSeconds} at
   * most. A slow scenario (the blocking stub: a few thousand calls a second) needs longer than a
   * fast one to get its code compiled, and a window measured while it compiles measures the JIT.
   * Returns the seconds it took.
   */
  private static double warmUp(double minSeconds) throws InterruptedException {
    long start = System.nanoTime();
    sleepNanos((long) (minSeconds * 1e9));
    long longest = start + (long) (MAX_WARMUP_FACTOR * minSeconds * 1e9);
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long compiled = jit.getTotalCompilationTime();
    while (System.nanoTime() < longest) {
      sleepNanos(TimeUnit.MILLISECONDS.toNanos(JIT_QUIET_WINDOW_MILLIS));
      long now = jit.getTotalCompilationTime();
      if (now - compiled < JIT_QUIET_MILLIS) {
        break;
      }
      compiled = now;
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Waits for a span of time (a measurement window, not a condition). */
  private static void sleepNanos(long nanos) throws InterruptedException {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("argument: " + args[i] + " (expected: --name value)");
      }
      String name = args[i].substring(2);
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      opts.put(name, flag ? "true" : args[++i]);
    }
    return opts;
  }

  private static String require(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  /** Counters read at the edges of the window. */
  private record Snapshot(long nanos, long processCpuNanos, long serverCpuNanos, long machineBusyNanos,
      long loBytes, long loPackets, Map<Long, long[]> contextSwitches, long jitMillis) {

    static Snapshot take(long serverPid) throws IOException {
      long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
      long server = serverPid > 0 ? processTicks(serverPid) * CLOCK_TICK_NANOS : 0;
      long busy = machineBusyTicks() * CLOCK_TICK_NANOS;
      long[] lo = loopback();
      Map<Long, long[]> switches = ContextSwitches.read();
      long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
      return new Snapshot(System.nanoTime(), cpu, server, busy, lo[0], lo[1], switches, jit);
    }

    /** utime + stime of a process, in clock ticks. */
    private static long processTicks(long pid) throws IOException {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command (which may hold spaces): state is field 3, utime 14, stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Busy time of all processors (everything but idle and iowait), in clock ticks. */
    private static long machineBusyTicks() throws IOException {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    }

    /** Received bytes and packets of {@code lo}. */
    private static long[] loopback() throws IOException {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/dev"));
      for (String line : lines) {
        String trimmed = line.trim();
        if (trimmed.startsWith("lo:")) {
          String[] f = trimmed.substring(3).trim().split("\\s+");
          return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        }
      }
      return new long[] {0, 0};
    }
  }
}
