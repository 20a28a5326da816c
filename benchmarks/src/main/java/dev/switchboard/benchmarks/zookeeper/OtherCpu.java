package dev.switchboard.benchmarks.zookeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU that other processes used during a window: the machine's busy time ({@code /proc/stat},
 * everything but idle and iowait) minus this process's ({@code /proc/self/stat}), in cores, as the
 * load harness counts it. A window during which other processes used more than about 0.15 cores is
 * noisy (see /work/shared/BENCHMARKING.md).
 *
 * <p>Immutable: one reading; {@link #coresSince} compares two.
 */
record OtherCpu(long nanos, long machineTicks, long ownTicks) {
  /** Clock ticks per second of {@code /proc} ({@code USER_HZ}; 100 on Linux x86_64). */
  private static final double TICKS_PER_SECOND = 100;

  /** Returns a reading now. */
  static OtherCpu now() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] s = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new OtherCpu(System.nanoTime(), busy, Long.parseLong(s[11]) + Long.parseLong(s[12]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the cores other processes used on average since {@code start}. */
  double coresSince(OtherCpu start) {
    double seconds = (nanos - start.nanos) / 1e9;
    double otherTicks = (machineTicks - start.machineTicks) - (ownTicks - start.ownTicks);
    return Math.max(0, otherTicks / TICKS_PER_SECOND / seconds);
  }

  /** Returns the cores this process used on average since {@code start}. */
  double ownCoresSince(OtherCpu start) {
    return (ownTicks - start.ownTicks) / TICKS_PER_SECOND / ((nanos - start.nanos) / 1e9);
  }
}
