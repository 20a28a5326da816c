package dev.switchboard.benchmarks;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JMH's worker pool for the worst case of {@code round_robin}'s striped counter: every worker
 * thread's id is congruent modulo {@value #MODULUS}, so all workers use the same stripe.
 *
 * <p>{@code round_robin}'s picker takes the stripe {@code threadId & (stripes - 1)}, with a power of
 * two of stripes between 1 and 16. Threads whose ids agree modulo 16 therefore share a stripe
 * whatever the number of stripes on the machine; the factory creates threads until it has one with
 * the wanted residue (the others are never started and are collected). JMH's default pool makes its
 * workers one after the other, so their consecutive ids usually land on different stripes: the
 * case the striping was built for, and the one {@code pickTwoThreads} measures.
 *
 * <p>Selected by the forks of {@link PickerBenchmark#pickTwoThreadsSameStripe} with
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=} this class; {@link PickerBenchmark} checks
 * from each worker thread that the ids do agree, so a run without these flags (for example
 * {@code -f 0}) fails instead of reporting the wrong case.
 *
 * <p>Thread-safe.
 */
public final class SameStripeExecutor extends ThreadPoolExecutor {
  /** The largest number of stripes of {@code round_robin}'s counter. */
  static final int MODULUS = 16;

  /** Called by JMH with the number of worker threads and their name prefix. */
  public SameStripeExecutor(int threads, String prefix) {
    super(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new SameResidueFactory(prefix));
  }

  /** Returns the residue of {@code thread}'s id modulo {@link #MODULUS}. */
  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same value.
  static int residue(Thread thread) {
    return (int) (thread.getId() % MODULUS);
  }

  private static final class SameResidueFactory implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private volatile int residue = -1;

    SameResidueFactory(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public synchronized Thread newThread(Runnable task) {
      String name = prefix + "-same-stripe-" + count.incrementAndGet();
      for (;;) {
        Thread thread = new Thread(task, name);
        if (residue < 0) {
          residue = residue(thread);
        }
        if (residue(thread) == residue) {
          thread.setDaemon(true);
          return thread;
        }
      }
    }
  }
}
