package dev.switchboard.resolver.dns.internal;

import dev.switchboard.channel.api.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stand-in for the testing kit's {@code ManualClock} (same method names) until the kit lands on
 * main; delete it then. Only {@code schedule(Runnable, …)} and {@code execute} are supported.
 *
 * <p>Thread-safe.
 */
final class ManualClock extends AbstractExecutorService implements ScheduledExecutorService, Deadline.Ticker {
  private final List<Task> tasks = new ArrayList<>();
  private long now;

  static ManualClock create() {
    return new ManualClock();
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  /** Moves time forward and runs the tasks that fall due, in time order. */
  void forwardTime(Duration duration) {
    long target;
    synchronized (this) {
      target = now + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> t.at <= target).min((a, b) -> Long.compare(a.at, b.at))
            .orElse(null);
        if (next == null) {
          now = target;
          return;
        }
        tasks.remove(next);
        now = next.at;
      }
      next.run();
    }
  }

  synchronized int numPendingTasks() {
    return tasks.size();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task task = new Task(command, now + unit.toNanos(delay));
    tasks.add(task);
    return task;
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable r, long i, long p, TimeUnit u) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable r, long i, long d, TimeUnit u) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  private final class Task extends FutureTask<Void> implements ScheduledFuture<Void> {
    final long at;

    Task(Runnable r, long at) {
      super(r, null);
      this.at = at;
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      synchronized (ManualClock.this) {
        tasks.remove(this);
      }
      return super.cancel(mayInterrupt);
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
