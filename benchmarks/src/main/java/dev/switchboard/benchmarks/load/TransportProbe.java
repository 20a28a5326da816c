package dev.switchboard.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Finds out which Netty transport a JVM's connections actually run on, by observation rather than
 * from configuration: it samples the stacks of the threads that used CPU since a reading of
 * {@link #threadCpuNanos()} and classifies every Netty frame by the package of its class
 * ({@code io.netty.channel.epoll} → {@code epoll}, {@code io.netty.channel.nio} or
 * {@code io.netty.channel.socket.nio} → {@code nio}, also {@code io_uring} and {@code kqueue}).
 * Shading prefixes are ignored, so grpc-java's {@code io.grpc.netty.shaded.io.netty...} counts as
 * well. An event loop's stack shows its I/O handler whether it waits ({@code epollWait} under
 * {@code EpollIoHandler.run}, {@code Selector.select} under {@code NioIoHandler.run}) or reads, but
 * not while it runs queued tasks, which is most of the time of a saturated loop: so the probe keeps
 * sampling (at least {@value #MIN_SAMPLES} times, at most {@value #MAX_SAMPLES}) until every busy
 * event-loop thread has been seen in its I/O handler. Only threads that worked count, so an idle
 * group of the other kind is not reported.
 *
 * <p>Robust to thread names and to the internals of either client (it does not look for our
 * transport classes or for grpc-java's {@code grpc-default-worker-ELG-*} names), at the price of a
 * few stack samples taken after the measured window.
 *
 * <p>Thread-safe (static methods only).
 */
final class TransportProbe {

  private static final int MIN_SAMPLES = 10;
  private static final int MAX_SAMPLES = 200;
  private static final long SAMPLE_GAP_MILLIS = 5;

  private TransportProbe() {}

  /** Returns the CPU time of every live thread by thread id (0 where the JVM cannot tell). */
  static Map<Long, Long> threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      cpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
    return cpu;
  }

  /**
   * Returns the transports seen in the threads that used CPU since {@code before} was read (all
   * threads that ever used CPU for an empty map), joined by {@code +} in name order, or
   * {@code unknown} when no Netty frame was seen.
   */
  static String observe(Map<Long, Long> before) throws InterruptedException {
    Map<Long, Long> now = threadCpuNanos();
    Set<String> seen = new TreeSet<>();
    Set<Long> eventLoops = new HashSet<>();
    Set<Long> classified = new HashSet<>();
    for (int sample = 0; sample < MAX_SAMPLES; sample++) {
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        long id = thread.getId();
        if (now.getOrDefault(id, 0L) <= before.getOrDefault(id, 0L)) {
          return;
        }
        for (StackTraceElement frame : stack) {
          String flavour = flavour(frame.getClassName());
          if (flavour != null) {
            seen.add(flavour);
            classified.add(id);
          }
          if (eventLoop(frame.getClassName())) {
            eventLoops.add(id);
          }
        }
      });
      if (sample + 1 >= MIN_SAMPLES && classified.containsAll(eventLoops)) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(SAMPLE_GAP_MILLIS);
    }
    return seen.isEmpty() ? "unknown" : String.join("+", seen);
  }

  /**
   * Whether a class is the run loop of a Netty I/O event loop (shaded or not) that does not name
   * its transport: Netty 4.2's {@code SingleThreadIoEventLoop} (its I/O handler shows only while it
   * waits or does I/O). Loops of the 4.1 kind ({@code EpollEventLoop}, {@code NioEventLoop}) sit
   * in their transport's package, so every sample classifies them.
   */
  private static boolean eventLoop(String className) {
    int netty = className.indexOf("io.netty.");
    return netty >= 0 && className.startsWith("io.netty.channel.SingleThreadIoEventLoop", netty);
  }

  /** Returns the transport a class belongs to, or null for a class of none. */
  static String flavour(String className) {
    int netty = className.indexOf("io.netty.");
    if (netty < 0) {
      return null;
    }
    String name = className.substring(netty);
    if (name.startsWith("io.netty.channel.epoll.")) {
      return "epoll";
    }
    if (name.startsWith("io.netty.channel.nio.") || name.startsWith("io.netty.channel.socket.nio.")) {
      return "nio";
    }
    if (name.startsWith("io.netty.channel.uring.") || name.startsWith("io.netty.incubator.channel.uring.")) {
      return "io_uring";
    }
    if (name.startsWith("io.netty.channel.kqueue.")) {
      return "kqueue";
    }
    return null;
  }
}
