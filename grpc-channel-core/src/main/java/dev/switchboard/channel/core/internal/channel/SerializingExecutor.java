package dev.switchboard.channel.core.internal.channel;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: how one call's listener
 * callbacks stay serial even on a multi-threaded executor.
 *
 * <p>On {@link DirectExecutor#INSTANCE} a task that finds nothing queued and nothing running runs
 * at once on the submitting thread, without passing through the queue (most callbacks of a call
 * come from its transport's thread, one at a time); the queue is only for a task submitted while
 * another runs, from another thread or from inside a callback, which then runs after it.
 *
 * <p>Thread-safe. A task that throws is logged and does not stop the tasks after it.
 */
final class SerializingExecutor implements Executor, Runnable {
  private static final System.Logger LOG = System.getLogger(SerializingExecutor.class.getName());

  private final Executor delegate;
  private final boolean direct;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  SerializingExecutor(Executor delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.direct = delegate == DirectExecutor.INSTANCE;
  }

  @Override
  public void execute(Runnable task) {
    requireNonNull(task, "task");
    if (direct && scheduled.compareAndSet(false, true)) {
      // A task queued before this one (its submitter lost the race) must run first.
      if (queue.isEmpty()) {
        runSafely(task);
      } else {
        queue.add(task);
      }
      run();
      return;
    }
    queue.add(task);
    schedule();
  }

  /**
   * Queues {@code task} without running or scheduling it: it runs after the tasks before it, when a
   * later {@link #execute} or {@link #flush} schedules the queue. How a call holds the events of one
   * transport read, to hand them to the executor together.
   */
  void enqueue(Runnable task) {
    queue.add(requireNonNull(task, "task"));
  }

  /** Schedules what {@link #enqueue} queued, if anything. */
  void flush() {
    if (!queue.isEmpty()) {
      if (direct && scheduled.compareAndSet(false, true)) {
        run();
      } else {
        schedule();
      }
    }
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        delegate.execute(this);
      } catch (RejectedExecutionException e) {
        // The application shut its executor down: run here rather than lose the callbacks.
        LOG.log(Level.WARNING, "call executor rejected a task; running it on the calling thread", e);
        run();
      }
    }
  }

  /** Runs the queued tasks; only while {@code scheduled} is held by the caller. */
  @Override
  public void run() {
    try {
      Runnable task;
      while ((task = queue.poll()) != null) {
        runSafely(task);
      }
    } finally {
      scheduled.set(false);
    }
    if (!queue.isEmpty()) {
      schedule();
    }
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "call listener threw", e);
    }
  }
}
