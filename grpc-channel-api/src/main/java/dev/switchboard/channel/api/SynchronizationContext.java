package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A serializing executor: tasks run one at a time, in the order they were submitted, on whichever
 * thread submitted the task that found the context idle. It owns no thread.
 *
 * <p>Every call into a balancer and every subchannel state notification runs here. A task that
 * throws is handed to the uncaught-exception handler and does not stop the tasks after it. A task
 * submitted from inside a task runs after the current one, never re-entrantly.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class SynchronizationContext implements Executor {

  private final Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Thread> drainingThread = new AtomicReference<>();

  /** Creates a context that hands exceptions thrown by tasks to {@code handler}. */
  public SynchronizationContext(Thread.UncaughtExceptionHandler handler) {
    this.uncaughtExceptionHandler = requireNonNull(handler, "handler");
  }

  /** Queues {@code task} and runs queued tasks unless another thread is already running them. */
  @Override
  public void execute(Runnable task) {
    executeLater(task);
    drain();
  }

  /** Queues {@code task} without running it; a later {@link #drain()} runs it. */
  public void executeLater(Runnable task) {
    queue.add(requireNonNull(task, "task"));
  }

  /** Runs queued tasks until the queue is empty, unless another thread is already running them. */
  public void drain() {
    do {
      if (!drainingThread.compareAndSet(null, Thread.currentThread())) {
        return;
      }
      try {
        Runnable task;
        while ((task = queue.poll()) != null) {
          try {
            task.run();
          } catch (Throwable t) {
            uncaughtExceptionHandler.uncaughtException(Thread.currentThread(), t);
          }
        }
      } finally {
        drainingThread.set(null);
      }
      // A task queued after poll() returned null but before the reset must not be stranded.
    } while (!queue.isEmpty());
  }

  /** Returns whether the calling thread is running this context's tasks. */
  public boolean isCurrentThread() {
    return drainingThread.get() == Thread.currentThread();
  }

  /**
   * Throws {@link IllegalStateException} unless called from a task of this context.
   *
   * @throws IllegalStateException when called from outside the context
   */
  public void throwIfNotInThisSynchronizationContext() {
    if (!isCurrentThread()) {
      throw new IllegalStateException("not called from the synchronization context");
    }
  }

  /**
   * Runs {@code task} in this context after {@code delay}, using {@code timer} only to wait. The
   * returned handle's {@link ScheduledHandle#cancel()}, called from this context, guarantees the
   * task will not run.
   */
  public ScheduledHandle schedule(
      Runnable task, long delay, TimeUnit unit, ScheduledExecutorService timer) {
    ManagedRunnable runnable = new ManagedRunnable(requireNonNull(task, "task"));
    ScheduledFuture<?> future = timer.schedule(() -> execute(runnable), delay, unit);
    return new ScheduledHandle(runnable, future);
  }

  /**
   * A task scheduled with {@link #schedule}. Thread-safe; cancel it from the context for the
   * guarantee that it will not run.
   *
   * @since 0.1
   */
  public static final class ScheduledHandle {
    private final ManagedRunnable runnable;
    private final ScheduledFuture<?> future;

    private ScheduledHandle(ManagedRunnable runnable, ScheduledFuture<?> future) {
      this.runnable = runnable;
      this.future = future;
    }

    /** Cancels the task. */
    public void cancel() {
      runnable.cancelled = true;
      future.cancel(false);
    }

    /** Returns whether the task has neither run nor been cancelled. */
    public boolean isPending() {
      return !(runnable.hasStarted || runnable.cancelled);
    }
  }

  private static final class ManagedRunnable implements Runnable {
    private final Runnable task;
    private volatile boolean cancelled;
    private volatile boolean hasStarted;

    ManagedRunnable(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      if (!cancelled) {
        hasStarted = true;
        task.run();
      }
    }
  }
}
