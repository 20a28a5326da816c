package dev.switchboard.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Context switches of this process, per thread, from {@code /proc/self/task/TID/status}
 * ({@code voluntary_ctxt_switches}: the thread blocked or parked; {@code nonvoluntary_ctxt_switches}:
 * the scheduler took the core away), and the CPU time of the JIT compiler's threads (their
 * {@code Name} starts with {@code C1 CompilerThre} or {@code C2 CompilerThre}; utime + stime of
 * {@code /proc/self/task/TID/stat}, in clock ticks). The compiler's threads are left out of the
 * switches: a window in which the JIT still works would otherwise count its wake-ups as the
 * client's. Linux only; elsewhere every reading is empty.
 *
 * <p>Thread-safe (static methods only).
 */
final class ContextSwitches {

  private static final Path TASKS = Path.of("/proc/self/task");

  private ContextSwitches() {}

  /**
   * Returns {voluntary, involuntary, compiler CPU ticks} so far of every live thread, by thread id
   * (TID): switches for the threads that are not the JIT's, CPU ticks for those that are.
   */
  static Map<Long, long[]> read() throws IOException {
    Map<Long, long[]> byThread = new HashMap<>();
    if (!Files.isDirectory(TASKS)) {
      return byThread;
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        long[] counts = new long[3];
        try {
          boolean compiler = false;
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("Name:")) {
              String name = line.substring(5).trim();
              compiler = name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
            } else if (line.startsWith("voluntary_ctxt_switches:")) {
              counts[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
              counts[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
          if (compiler) {
            counts[0] = 0;
            counts[1] = 0;
            String stat = Files.readString(task.resolve("stat"));
            // After the command (which may hold spaces): utime is field 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            counts[2] = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException e) {
          continue; // the thread ended between the listing and the read (ENOENT or ESRCH)
        }
        byThread.put(Long.parseLong(task.getFileName().toString()), counts);
      }
    }
    return byThread;
  }

  /**
   * Returns the {voluntary, involuntary} switches and the compiler's CPU ticks between two
   * readings, summed over the threads of the second: a thread that is new in it counts from 0; one
   * that ended in between is missed (its counts are gone with it, which undercounts a window in
   * which threads end).
   */
  static long[] between(Map<Long, long[]> before, Map<Long, long[]> after) {
    long[] sum = new long[3];
    after.forEach((tid, counts) -> {
      long[] start = before.getOrDefault(tid, new long[3]);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += counts[i] - start[i];
      }
    });
    return sum;
  }
}
