package dev.switchboard.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One measured run of one client in one scenario, in a JVM of its own:
 *
 * <pre>
 * LoadClient --client switchboard|grpc-java|netty-floor
 *            --scenario unary-pingpong|unary-64|bidi-pingpong|server-streaming
 *            --executor default|direct --port N [--server-pid P] --warmup-seconds W --seconds S
 * </pre>
 *
 * <p>After the warm-up it measures for S seconds and prints one line
 * {@code RESULT key=value ...}: latency percentiles in µs (HdrHistogram; NaN for server
 * streaming), the rate (calls or messages per second), the client's CPU µs per operation (process
 * CPU time), the server's (from {@code /proc/PID/stat} when its pid is given), loopback bytes and
 * packets per operation ({@code /proc/net/dev}, {@code lo}, received side: every loopback packet
 * is counted once there), live threads at the end of the window, and the CPU cores used during
 * the window by every other process on the machine ({@code /proc/stat} minus client and server).
 *
 * <p>Not thread-safe: a command-line entry point.
 */
public final class LoadClient {

  /** Calls in flight for {@code unary-64}. */
  static final int OUTSTANDING = 64;
  private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

  private final Recorder latencies = new Recorder(3);
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<Throwable> firstError = new AtomicReference<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean running = true;

  private LoadClient() {}

  /** Runs one measurement; see the class documentation for the arguments. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    String clientName = opts.getOrDefault("client", "switchboard");
    String scenario = opts.getOrDefault("scenario", "unary-pingpong");
    String executor = opts.getOrDefault("executor", "default");
    int port = Integer.parseInt(require(opts, "port"));
    long serverPid = Long.parseLong(opts.getOrDefault("server-pid", "0"));
    double warmup = Double.parseDouble(opts.getOrDefault("warmup-seconds", "6"));
    double seconds = Double.parseDouble(opts.getOrDefault("seconds", "3"));
    boolean direct = switch (executor) {
      case "default" -> false;
      case "direct" -> true;
      default -> throw new IllegalArgumentException("executor: " + executor + " (expected: default, direct)");
    };
    RpcClient client = switch (clientName) {
      case "switchboard" -> new SwitchboardRpcClient(port, direct);
      case "grpc-java" -> new GrpcJavaRpcClient(port, direct);
      case "netty-floor" -> new NettyFloorClient(port);
      default -> throw new IllegalArgumentException(
          "client: " + clientName + " (expected: switchboard, grpc-java, netty-floor)");
    };
    LoadClient run = new LoadClient();
    Map<String, String> result = run.measure(client, clientName, scenario, direct, serverPid, warmup, seconds);
    StringBuilder line = new StringBuilder("RESULT");
    result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    System.out.println(line);
    System.out.flush();
    run.stop(client);
    // Event loops and pools of either client may keep the JVM alive for a moment: do not wait.
    System.exit(0);
  }

  private Map<String, String> measure(RpcClient client, String clientName, String scenario, boolean direct,
      long serverPid, double warmupSeconds, double seconds) throws Exception {
    boolean latencyMeasured = !scenario.equals("server-streaming");
    Runnable start = switch (scenario) {
      case "unary-pingpong" -> direct || clientName.equals("netty-floor")
          ? () -> startUnaryChains(client, 1)
          : () -> startBlockingLoop(client);
      case "unary-64" -> () -> startUnaryChains(client, OUTSTANDING);
      case "bidi-pingpong" -> () -> startBidi(client);
      case "server-streaming" -> () -> startServerStreaming(client);
      default -> throw new IllegalArgumentException(
          "scenario: " + scenario + " (expected: unary-pingpong, unary-64, bidi-pingpong, server-streaming)");
    };
    start.run();
    sleepNanos((long) (warmupSeconds * 1e9));

    latencies.getIntervalHistogram(); // drops the warm-up
    long messagesBefore = messages.get();
    Snapshot before = Snapshot.take(serverPid);
    sleepNanos((long) (seconds * 1e9));
    Snapshot after = Snapshot.take(serverPid);
    Histogram window = latencies.getIntervalHistogram();
    long messagesAfter = messages.get();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();

    double elapsed = (after.nanos - before.nanos) / 1e9;
    long ops = latencyMeasured ? window.getTotalCount() : messagesAfter - messagesBefore;
    double perOp = Math.max(ops, 1);
    long ownCpu = after.processCpuNanos - before.processCpuNanos;
    long serverCpu = after.serverCpuNanos - before.serverCpuNanos;
    long machineBusy = after.machineBusyNanos - before.machineBusyNanos;
    Map<String, String> r = new LinkedHashMap<>();
    r.put("client", clientName);
    r.put("scenario", scenario);
    r.put("executor", direct ? "direct" : "default");
    r.put("ops", Long.toString(ops));
    r.put("seconds", fmt(elapsed));
    r.put("rate", fmt(ops / elapsed));
    r.put("p50", latencyMeasured ? fmt(window.getValueAtPercentile(50) / 1e3) : "NaN");
    r.put("p90", latencyMeasured ? fmt(window.getValueAtPercentile(90) / 1e3) : "NaN");
    r.put("p99", latencyMeasured ? fmt(window.getValueAtPercentile(99) / 1e3) : "NaN");
    r.put("cpuUsPerOp", fmt(ownCpu / 1e3 / perOp));
    r.put("serverCpuUsPerOp", serverPid > 0 ? fmt(serverCpu / 1e3 / perOp) : "NaN");
    r.put("bytesPerOp", fmt((after.loBytes - before.loBytes) / perOp));
    r.put("packetsPerOp", fmt((after.loPackets - before.loPackets) / perOp));
    r.put("threads", Integer.toString(threads));
    r.put("clientCores", fmt(ownCpu / 1e9 / elapsed));
    r.put("foreignCores", fmt(Math.max(0, machineBusy - ownCpu - serverCpu) / 1e9 / elapsed));
    r.put("errors", Long.toString(errors.get()));
    Throwable error = firstError.get();
    if (error != null) {
      System.err.println("first error of " + clientName + " " + scenario + ":");
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
      long loBytes, long loPackets) {

    static Snapshot take(long serverPid) throws IOException {
      long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
      long server = serverPid > 0 ? processTicks(serverPid) * CLOCK_TICK_NANOS : 0;
      long busy = machineBusyTicks() * CLOCK_TICK_NANOS;
      long[] lo = loopback();
      return new Snapshot(System.nanoTime(), cpu, server, busy, lo[0], lo[1]);
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
