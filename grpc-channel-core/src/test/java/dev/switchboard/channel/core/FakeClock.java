package dev.switchboard.channel.core;

import dev.switchboard.channel.api.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manual clock and the scheduler that goes with it: tasks run only when a test forwards time,
 * on the test's thread, never inline when scheduled. Thread-safe.
 */
final class FakeClock implements Deadline.Ticker {
  private final Object lock = new Object();
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private long now;
  private final Scheduler scheduler = new Scheduler();

  @Override
  public long nanoTime() {
    synchronized (lock) {
      return now;
    }
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Moves the clock forward, running every task that falls due, in order. */
  void forward(Duration duration) {
    long target;
    synchronized (lock) {
      target = now + duration.toNanos();
    }
    for (;;) {
      Task next;
      synchronized (lock) {
        next = tasks.peek();
        if (next == null || next.at > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.at);
      }
      if (!next.isCancelled()) {
        next.run();
      }
    }
  }

  /** Moves the clock to the earliest pending task and runs it (and any due at the same time). */
  void forwardToNextTask() {
    List<Duration> delays = pendingDelays();
    if (delays.isEmpty()) {
      throw new AssertionError("no pending task");
    }
    forward(delays.get(0));
  }

  /** Returns the delays of pending (not cancelled) tasks from now, soonest first. */
  List<Duration> pendingDelays() {
    synchronized (lock) {
      List<Task> sorted = new ArrayList<>(tasks);
      sorted.sort(null);
      List<Duration> delays = new ArrayList<>();
      for (Task task : sorted) {
        if (!task.isCancelled()) {
          delays.add(Duration.ofNanos(task.at - now));
        }
      }
      return delays;
    }
  }

  private final class Task implements ScheduledFuture<Object>, Runnable {
    final long at;
    final long seq = sequence.incrementAndGet();
    final Runnable command;
    volatile boolean cancelled;
    volatile boolean done;

    Task(long at, Runnable command) {
      this.at = at;
      this.command = command;
    }

    @Override
    public void run() {
      done = true;
      command.run();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task o = (Task) other;
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (done) {
        return false;
      }
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }

  private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      synchronized (lock) {
        Task task = new Task(now + Math.max(0, unit.toNanos(delay)), command);
        tasks.add(task);
        return task;
      }
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
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
  }
}
