package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Makes {@code n} calls with at most {@code concurrency} in flight, recording each outcome and
 * stepping a progress bar: the engine of {@code switchboard call}.
 *
 * <p>Each of {@code concurrency} worker threads (daemons, so that they never hold the process)
 * takes calls from a shared count until none is left. A caller that throws ends the run with that
 * exception; an interrupt of the running thread stops the workers.
 *
 * <p>Not thread-safe: one run at a time.
 */
final class CallRunner {

  /**
   * The outcome of a run. Immutable.
   *
   * @param stats what the calls came to
   * @param elapsed from the first call's start to the last one's end
   */
  record Result(CallStats.Snapshot stats, Duration elapsed) {}

  private final Caller caller;

  CallRunner(Caller caller) {
    this.caller = requireNonNull(caller, "caller");
  }

  /** Makes {@code calls} calls, {@code concurrency} at a time, stepping {@code progress} after each. */
  Result run(int calls, int concurrency, ProgressBar progress) throws InterruptedException {
    if (calls < 1 || concurrency < 1) {
      throw new IllegalArgumentException(
          "calls: " + calls + ", concurrency: " + concurrency + " (expected: 1 or more)");
    }
    AtomicInteger remaining = new AtomicInteger(calls);
    return run(() -> remaining.getAndDecrement() > 0, Math.min(concurrency, calls), progress);
  }

  /**
   * Makes calls, {@code concurrency} at a time, until {@code done} says so (asked by each worker
   * before each call, so up to {@code concurrency - 1} calls in flight finish after it first does).
   */
  Result runUntil(BooleanSupplier done, int concurrency) throws InterruptedException {
    requireNonNull(done, "done");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: 1 or more)");
    }
    return run(() -> !done.getAsBoolean(), concurrency, new ProgressBar(new PrintStream(OutputStream.nullOutputStream()), 1, false));
  }

  private Result run(BooleanSupplier takeCall, int workers, ProgressBar progress)
      throws InterruptedException {
    CallStats stats = new CallStats();
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "switchboard-call-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        done.add(pool.submit(() -> {
          while (takeCall.getAsBoolean()) {
            Caller.Outcome o = caller.call();
            stats.record(o.backend(), o.code(), o.latencyNanos());
            progress.step();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw (InterruptedException) cause;
        }
      }
    } finally {
      pool.shutdownNow();
      progress.finish();
    }
    return new Result(stats.snapshot(), Duration.ofNanos(System.nanoTime() - start));
  }
}
