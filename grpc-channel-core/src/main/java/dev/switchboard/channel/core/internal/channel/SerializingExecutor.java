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
 * <p>Thread-safe. A task that throws is logged and does not stop the tasks after it.
 */
final class SerializingExecutor implements Executor, Runnable {
  private static final System.Logger LOG = System.getLogger(SerializingExecutor.class.getName());

  private final Executor delegate;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  SerializingExecutor(Executor delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    queue.add(requireNonNull(task, "task"));
    schedule();
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

  @Override
  public void run() {
    try {
      Runnable task;
      while ((task = queue.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          LOG.log(Level.ERROR, "call listener threw", e);
        }
      }
    } finally {
      scheduled.set(false);
    }
    if (!queue.isEmpty()) {
      schedule();
    }
  }
}
