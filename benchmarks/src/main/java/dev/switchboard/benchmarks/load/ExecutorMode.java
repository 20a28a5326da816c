package dev.switchboard.benchmarks.load;

import java.util.concurrent.ForkJoinPool;

/**
 * Where a client runs its call callbacks in a load run. Both real clients are configured through
 * their builders only, so each mode means the same for both:
 *
 * <ul>
 *   <li>{@link #DIRECT}: {@code directExecutor()}, callbacks on the transport's thread;
 *   <li>{@link #FJP}: {@code executor(pool)} with a pool from {@link #newFifoPool()}, one per
 *       client JVM, built the same way for both: the pool grpc-java's own benchmark client uses
 *       ({@code io.grpc.benchmarks.Utils.getExecutor()}) and the shape of our default;
 *   <li>{@link #DEFAULTS}: nothing set, each client as shipped (ours: its shared FIFO
 *       {@code ForkJoinPool}; grpc-java: its cached thread pool).
 * </ul>
 *
 * <p>The blocking stub runs a call's callbacks on the caller's thread in both clients whatever the
 * channel's executor, which is why {@code unary-blocking} is a scenario of its own.
 *
 * <p>Immutable.
 */
enum ExecutorMode {
  DIRECT("direct"),
  FJP("fjp"),
  DEFAULTS("defaults");

  private final String label;

  ExecutorMode(String label) {
    this.label = label;
  }

  /** Returns the name used on the command line and in the tables. */
  String label() {
    return label;
  }

  /** Returns the mode named {@code label}. */
  static ExecutorMode of(String label) {
    for (ExecutorMode mode : values()) {
      if (mode.label.equals(label)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("executor: " + label + " (expected: direct, fjp, defaults)");
  }

  /**
   * Returns a new pool of {@link #FJP} mode: one worker per processor, the JDK's default worker
   * factory (daemon threads), no uncaught-exception handler, FIFO ("async") mode. grpc-java's
   * benchmark client builds the same pool (its factory only renames the threads and its handler
   * exits the JVM); our channel's default is built the same way.
   */
  static ForkJoinPool newFifoPool() {
    return new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
        ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
  }
}
