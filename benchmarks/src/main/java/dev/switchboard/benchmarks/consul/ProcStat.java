package dev.switchboard.benchmarks.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc} says about CPU and loopback traffic, for the harness's context columns:
 * the CPU of this JVM, of the agent and of everything else on the machine during a window (as the
 * load harness counts it; a window during which other processes used more than about 0.15 cores is
 * noisy, see /work/shared/BENCHMARKING.md), and the bytes that crossed {@code lo}.
 *
 * <p>Immutable: one reading; {@link #since} compares two.
 */
record ProcStat(long nanos, long machineTicks, long ownTicks, long agentTicks, long loopbackBytes) {
  /** Clock ticks per second of {@code /proc} ({@code USER_HZ}; 100 on Linux x86_64). */
  private static final double TICKS_PER_SECOND = 100;

  /** Returns a reading now; {@code agentPid} is the Consul agent's process. */
  static ProcStat now(long agentPid) {
    return new ProcStat(System.nanoTime(), machineBusyTicks(), ticks("self"), ticks(String.valueOf(agentPid)),
        loopbackReceived());
  }

  /** The differences since {@code start}. */
  Window since(ProcStat start) {
    double seconds = (nanos - start.nanos) / 1e9;
    long own = ownTicks - start.ownTicks;
    long agent = agentTicks - start.agentTicks;
    long other = Math.max(0, machineTicks - start.machineTicks - own - agent);
    return new Window(seconds, own / TICKS_PER_SECOND, agent / TICKS_PER_SECOND, other / TICKS_PER_SECOND,
        loopbackBytes - start.loopbackBytes);
  }

  /**
   * A window: its length, the CPU seconds this JVM, the agent and all other processes used in it,
   * and the bytes received on {@code lo} (each loopback packet counted once, both directions).
   */
  record Window(double seconds, double ownCpu, double agentCpu, double otherCpu, long loopbackBytes) {
    /** Other processes' CPU in cores, on average over the window. */
    double otherCores() {
      return otherCpu / seconds;
    }
  }

  /** Returns the CPU time process {@code pid} has used, in ns (10 ms resolution). */
  static long cpuNanos(long pid) {
    return (long) (ticks(String.valueOf(pid)) / TICKS_PER_SECOND * 1e9);
  }

  private static long ticks(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] s = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(s[11]) + Long.parseLong(s[12]); // utime, stime
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long loopbackReceived() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
        String trimmed = line.trim();
        if (trimmed.startsWith("lo:")) {
          return Long.parseLong(trimmed.substring(3).trim().split("\\s+")[0]);
        }
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
