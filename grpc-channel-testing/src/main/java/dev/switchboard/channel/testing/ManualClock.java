package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ScheduledExecutorService} and {@link Deadline.Ticker} whose time moves only when the
 * test says so (grpc-java's {@code FakeClock}).
 *
 * <p>Scheduling never runs a task inline, not even {@link #execute} or a zero delay: tasks run in
 * {@link #forwardTime}, {@link #forwardNanos} and {@link #runDueTasks}, on the calling thread, in
 * order of due time (ties in order of submission). While a task runs, {@link #nanoTime()} reads
 * its due time, so a task that schedules another schedules it relative to when it ran. Tasks
 * scheduled by a running task run in the same call if they fall due within the forwarded span.
 *
 * <p>Periodic tasks ({@link #scheduleAtFixedRate}, {@link #scheduleWithFixedDelay}) run once per
 * period crossed; one that throws is not rescheduled and its future holds the exception. A task
 * that throws is otherwise only recorded in its future: the clock goes on with the next task.
 *
 * <p>{@link #awaitTermination} does not wait (time is manual): it reports {@link #isTerminated()}.
 * {@code invokeAll} and {@code invokeAny} would wait for tasks that only the caller can run, so
 * they throw {@link UnsupportedOperationException}.
 *
 * <p>Thread-safe: any thread may schedule, cancel and read the time. Running tasks is serialized:
 * if two threads forward the clock at once, one waits for the other, so tasks never overlap. A task
 * may itself forward the clock (the lock is re-entrant).
 *
 * @since 0.1
 */
public final class ManualClock implements ScheduledExecutorService, Deadline.Ticker {

  private final Object lock = new Object();
  private final ReentrantLock runLock = new ReentrantLock();
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long nowNanos;
  private long sequence;
  private boolean shutdown;

  private ManualClock(long startNanos) {
    this.nowNanos = startNanos;
  }

  /** Returns a clock that starts at 0 nanoseconds. */
  public static ManualClock create() {
    return new ManualClock(0);
  }

  /**
   * Returns a clock that starts at {@code startNanos}; a value near {@link Long#MAX_VALUE} tests
   * code that must survive the wrap-around of {@link System#nanoTime()}.
   */
  public static ManualClock startingAt(long startNanos) {
    return new ManualClock(startNanos);
  }

  /** Returns the current time of this clock, in nanoseconds. */
  @Override
  public long nanoTime() {
    synchronized (lock) {
      return nowNanos;
    }
  }

  /** Returns a deadline {@code timeout} from now on this clock. */
  public Deadline deadlineAfter(Duration timeout) {
    return Deadline.after(timeout, this);
  }

  /**
   * Moves time forward by {@code duration}, running every task that falls due on the way, in order.
   *
   * @return the number of tasks run
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public int forwardTime(Duration duration) {
    requireNonNull(duration, "duration");
    return forwardNanos(duration.toNanos());
  }

  /**
   * Moves time forward by {@code duration unit}, running every task that falls due on the way.
   *
   * @return the number of tasks run
   */
  public int forwardTime(long duration, TimeUnit unit) {
    requireNonNull(unit, "unit");
    return forwardNanos(unit.toNanos(duration));
  }

  /**
   * Moves time forward by {@code nanos}, running every task that falls due on the way, in order.
   *
   * @return the number of tasks run
   * @throws IllegalArgumentException if {@code nanos} is negative
   */
  public int forwardNanos(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("nanos: " + nanos + " (expected: >= 0)");
    }
    runLock.lock();
    try {
      long target;
      synchronized (lock) {
        target = nowNanos + nanos;
      }
      int ran = runTasksDueBy(target);
      synchronized (lock) {
        // Wrap-aware: a nested forward from inside a task may already have gone further.
        if (target - nowNanos > 0) {
          nowNanos = target;
        }
      }
      return ran;
    } finally {
      runLock.unlock();
    }
  }

  /**
   * Runs every task due now without moving time, including tasks that those tasks submit for now.
   *
   * @return the number of tasks run
   */
  public int runDueTasks() {
    runLock.lock();
    try {
      return runTasksDueBy(nanoTime());
    } finally {
      runLock.unlock();
    }
  }

  /** Returns the tasks not yet run nor cancelled, in the order they would run. */
  public List<ScheduledFuture<?>> pendingTasks() {
    synchronized (lock) {
      List<Task<?>> sorted = new ArrayList<>(queue);
      sorted.sort(null);
      return List.copyOf(sorted);
    }
  }

  /** Returns the number of tasks not yet run nor cancelled. */
  public int numPendingTasks() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Returns the number of pending tasks that are due now. */
  public int numDueTasks() {
    synchronized (lock) {
      int n = 0;
      for (Task<?> t : queue) {
        if (nowNanos - t.dueNanos >= 0) {
          n++;
        }
      }
      return n;
    }
  }

  private int runTasksDueBy(long target) {
    int ran = 0;
    while (true) {
      Task<?> next;
      synchronized (lock) {
        next = queue.peek();
        if (next == null || next.dueNanos - target > 0) {
          return ran;
        }
        queue.poll();
        if (next.dueNanos - nowNanos > 0) {
          nowNanos = next.dueNanos;
        }
      }
      next.runScheduled();
      ran++;
    }
  }

  private <V> Task<V> enqueue(Task<V> task) {
    synchronized (lock) {
      if (shutdown) {
        throw new RejectedExecutionException("ManualClock is shut down (task: " + task + ")");
      }
      task.sequence = sequence++;
      task.dueNanos = nowNanos + Math.max(0, task.delayNanosAtSubmit);
      queue.add(task);
    }
    return task;
  }

  private void remove(Task<?> task) {
    synchronized (lock) {
      queue.remove(task);
    }
  }

  private void reschedule(Task<?> task, long dueNanos) {
    synchronized (lock) {
      if (shutdown) {
        task.cancel(false);
        return;
      }
      task.sequence = sequence++;
      task.dueNanos = dueNanos;
      queue.add(task);
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    requireNonNull(command, "command");
    return enqueue(new Task<>(Executors.callable(command, null), unit.toNanos(delay), 0, command));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    requireNonNull(callable, "callable");
    return enqueue(new Task<>(callable, unit.toNanos(delay), 0, callable));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    requireNonNull(command, "command");
    if (period <= 0) {
      throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
    }
    return enqueue(new Task<>(
        Executors.callable(command, null), unit.toNanos(initialDelay), unit.toNanos(period), command));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    requireNonNull(command, "command");
    if (delay <= 0) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
    }
    // A negative period marks a fixed delay, as in ScheduledThreadPoolExecutor.
    return enqueue(new Task<>(
        Executors.callable(command, null), unit.toNanos(initialDelay), -unit.toNanos(delay), command));
  }

  /** Queues {@code command} to run at the current time; it runs at the next forward or {@link #runDueTasks()}. */
  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    requireNonNull(task, "task");
    return schedule(Executors.callable(task, result), 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
    throw blockingUnsupported("invokeAll");
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
    throw blockingUnsupported("invokeAll");
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
    throw blockingUnsupported("invokeAny");
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
    throw blockingUnsupported("invokeAny");
  }

  private static UnsupportedOperationException blockingUnsupported(String method) {
    return new UnsupportedOperationException(
        method + " would wait for tasks that only forwardTime() runs: submit them and forward the clock");
  }

  /** Rejects new tasks; tasks already scheduled still run when time is forwarded. */
  @Override
  public void shutdown() {
    synchronized (lock) {
      shutdown = true;
    }
  }

  /** Rejects new tasks and cancels the pending ones, which it returns. */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> pending = new ArrayList<>();
    synchronized (lock) {
      shutdown = true;
      pending.addAll(queue);
      queue.clear();
    }
    for (Runnable r : pending) {
      ((Task<?>) r).cancel(false);
    }
    return pending;
  }

  @Override
  public boolean isShutdown() {
    synchronized (lock) {
      return shutdown;
    }
  }

  @Override
  public boolean isTerminated() {
    synchronized (lock) {
      return shutdown && queue.isEmpty();
    }
  }

  /** Returns {@link #isTerminated()} at once: nothing runs unless the caller forwards time. */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "ManualClock{now=" + nowNanos + "ns, pending=" + queue.size() + (shutdown ? ", shut down" : "") + "}";
    }
  }

  /** A scheduled task. Its order fields are guarded by the clock's lock. */
  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final long delayNanosAtSubmit;
    /** 0: one-shot; > 0: fixed rate; < 0: fixed delay of -period. */
    private final long periodNanos;
    private final Object description;
    private long dueNanos;
    private long sequence;

    Task(Callable<V> callable, long delayNanos, long periodNanos, Object description) {
      super(callable);
      this.delayNanosAtSubmit = delayNanos;
      this.periodNanos = periodNanos;
      this.description = description;
    }

    void runScheduled() {
      if (periodNanos == 0) {
        run();
      } else if (runAndReset()) {
        long next;
        synchronized (lock) {
          next = periodNanos > 0 ? dueNanos + periodNanos : nowNanos - periodNanos;
        }
        reschedule(this, next);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        remove(this);
      }
      return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (lock) {
        return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      if (other == this) {
        return 0;
      }
      if (other instanceof ManualClock.Task<?> t) {
        int byDue = Long.compare(dueNanos - t.dueNanos, 0);
        return byDue != 0 ? byDue : Long.compare(sequence, t.sequence);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public String toString() {
      return "Task{" + description + ", due=" + dueNanos + "ns"
          + (periodNanos > 0 ? ", every " + periodNanos + "ns" : "")
          + (periodNanos < 0 ? ", delay " + -periodNanos + "ns" : "") + "}";
    }
  }
}
