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
 * the scheduler took the core away). Linux only; elsewhere every reading is empty.
 *
 * <p>Thread-safe (static methods only).
 */
final class ContextSwitches {

  private static final Path TASKS = Path.of("/proc/self/task");

  private ContextSwitches() {}

  /** Returns {voluntary, involuntary} switches so far of every live thread, by thread id (TID). */
  static Map<Long, long[]> read() throws IOException {
    Map<Long, long[]> byThread = new HashMap<>();
    if (!Files.isDirectory(TASKS)) {
      return byThread;
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        long[] counts = new long[2];
        try {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              counts[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
              counts[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
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
   * Returns the {voluntary, involuntary} switches between two readings, summed over the threads of
   * the second: a thread that is new in it counts from 0; one that ended in between is missed (its
   * switches are gone with it, which undercounts a window in which threads end).
   */
  static long[] between(Map<Long, long[]> before, Map<Long, long[]> after) {
    long[] sum = new long[2];
    after.forEach((tid, counts) -> {
      long[] start = before.getOrDefault(tid, new long[2]);
      sum[0] += counts[0] - start[0];
      sum[1] += counts[1] - start[1];
    });
    return sum;
  }
}
