package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SynchronizationContextTest {

  /** A scheduler whose time moves only in {@link #forward}; the API module cannot use the testing kit. */
  private static final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    private final class Task extends FutureTask<Void> implements ScheduledFuture<Void> {
      final long due;
      final long seq = sequence++;

      Task(Runnable r, long due) {
        super(r, null);
        this.due = due;
      }

      @Override
      public long getDelay(TimeUnit unit) {
        return unit.convert(due - now, TimeUnit.NANOSECONDS);
      }

      @Override
      public int compareTo(Delayed o) {
        Task t = (Task) o;
        return due != t.due ? Long.compare(due, t.due) : Long.compare(seq, t.seq);
      }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      Task t = new Task(command, now + unit.toNanos(delay));
      queue.add(t);
      return t;
    }

    void forward(long delay, TimeUnit unit) {
      now += unit.toNanos(delay);
      while (!queue.isEmpty() && queue.peek().due <= now) {
        queue.poll().run();
      }
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable r, long initialDelay, long period, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable r, long initialDelay, long delay, TimeUnit unit) {
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

  private final List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> uncaughtThreads = Collections.synchronizedList(new ArrayList<>());
  private final SynchronizationContext context = new SynchronizationContext((thread, e) -> {
    uncaughtThreads.add(thread);
    uncaught.add(e);
  });
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
  private final ManualScheduler timer = new ManualScheduler();
  private ExecutorService pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  @Test
  void tasksRunInSubmissionOrderOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    context.execute(() -> ran.add("1:" + (Thread.currentThread() == caller)));
    context.execute(() -> ran.add("2"));

    assertThat(ran).containsExactly("1:true", "2");
  }

  @Test
  void taskSubmittedFromATaskRunsAfterItNeverReentrantly() {
    context.execute(() -> {
      ran.add("outer-start");
      context.execute(() -> ran.add("inner"));
      ran.add("outer-end");
    });

    assertThat(ran).containsExactly("outer-start", "outer-end", "inner");
  }

  @Test
  void executeLaterQueuesUntilDrain() {
    context.executeLater(() -> ran.add("a"));
    context.executeLater(() -> ran.add("b"));
    assertThat(ran).isEmpty();

    context.drain();

    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void throwingTaskGoesToTheHandlerAndLaterTasksStillRun() {
    IllegalStateException boom = new IllegalStateException("boom");
    context.executeLater(() -> ran.add("before"));
    context.executeLater(() -> {
      throw boom;
    });
    context.executeLater(() -> ran.add("after"));

    context.drain();

    assertThat(ran).containsExactly("before", "after");
    assertThat(uncaught).containsExactly(boom);
    assertThat(uncaughtThreads).containsExactly(Thread.currentThread());
    context.execute(() -> ran.add("next"));
    assertThat(ran).endsWith("next");
  }

  @Test
  void isCurrentThreadOnlyInsideATask() {
    List<Boolean> inside = new ArrayList<>();
    context.execute(() -> {
      inside.add(context.isCurrentThread());
      context.throwIfNotInThisSynchronizationContext();
    });

    assertThat(inside).containsExactly(true);
    assertThat(context.isCurrentThread()).isFalse();
    assertThatThrownBy(context::throwIfNotInThisSynchronizationContext)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not called from the synchronization context");
  }

  @Test
  void manyThreadsRunEveryTaskOneAtATimeAndStrandNone() throws Exception {
    int threads = 8;
    int perThread = 2_000;
    pool = Executors.newFixedThreadPool(threads);
    for (int round = 0; round < 5; round++) {
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      int[] count = {0}; // plain int: the context is what makes this safe
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            context.execute(() -> {
              if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
              }
              count[0]++;
              running.decrementAndGet();
            });
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      // Every execute() has returned: whatever they queued must have run (on some thread).
      int[] seen = new int[1];
      context.execute(() -> seen[0] = count[0]);
      assertThat(overlaps).as("round %s: tasks that overlapped", round).hasValue(0);
      assertThat(seen[0]).as("round %s: tasks run", round).isEqualTo(threads * perThread);
    }
    assertThat(uncaught).isEmpty();
  }

  @Test
  void scheduledTaskRunsInTheContextWhenTheTimerFires() {
    List<Boolean> inContext = new ArrayList<>();
    SynchronizationContext.ScheduledHandle handle =
        context.schedule(() -> inContext.add(context.isCurrentThread()), 5, TimeUnit.SECONDS, timer);

    timer.forward(4, TimeUnit.SECONDS);
    assertThat(inContext).isEmpty();
    assertThat(handle.isPending()).isTrue();

    timer.forward(1, TimeUnit.SECONDS);
    assertThat(inContext).containsExactly(true);
    assertThat(handle.isPending()).isFalse();
  }

  @Test
  void cancelFromTheContextBeforeTheTimerFiresMeansNotRun() {
    SynchronizationContext.ScheduledHandle[] handle = new SynchronizationContext.ScheduledHandle[1];
    context.execute(() -> handle[0] = context.schedule(() -> ran.add("task"), 1, TimeUnit.SECONDS, timer));
    context.execute(() -> handle[0].cancel());

    timer.forward(2, TimeUnit.SECONDS);

    assertThat(ran).isEmpty();
    assertThat(handle[0].isPending()).isFalse();
  }

  @Test
  void cancelFromTheContextAfterTheTimerFiredButBeforeTheTaskRanMeansNotRun() {
    SynchronizationContext.ScheduledHandle handle =
        context.schedule(() -> ran.add("task"), 1, TimeUnit.SECONDS, timer);

    context.execute(() -> {
      // The timer fires while the context is busy: the task is queued behind this one.
      timer.forward(1, TimeUnit.SECONDS);
      handle.cancel();
    });

    assertThat(ran).isEmpty();
    assertThat(handle.isPending()).isFalse();
  }
}
