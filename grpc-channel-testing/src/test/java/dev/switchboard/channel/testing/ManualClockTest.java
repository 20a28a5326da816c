package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private final ManualClock clock = ManualClock.create();
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

  @Test
  void schedulingNeverRunsATaskInline() {
    clock.execute(() -> ran.add("execute"));
    clock.submit(() -> ran.add("submit"));
    clock.schedule(() -> ran.add("zero"), 0, TimeUnit.SECONDS);
    clock.schedule(() -> ran.add("negative"), -5, TimeUnit.SECONDS);

    assertThat(ran).isEmpty();
    assertThat(clock.numPendingTasks()).isEqualTo(4);
    assertThat(clock.numDueTasks()).isEqualTo(4);

    assertThat(clock.runDueTasks()).isEqualTo(4);
    assertThat(ran).containsExactly("execute", "submit", "zero", "negative");
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void forwardRunsDueTasksInOrderOfDueTimeThenSubmission() {
    clock.schedule(() -> ran.add("3s"), 3, TimeUnit.SECONDS);
    clock.schedule(() -> ran.add("1s-a"), 1, TimeUnit.SECONDS);
    clock.schedule(() -> ran.add("2s"), 2, TimeUnit.SECONDS);
    clock.schedule(() -> ran.add("1s-b"), 1000, TimeUnit.MILLISECONDS);

    assertThat(clock.forwardTime(Duration.ofMillis(999))).isZero();
    assertThat(clock.forwardTime(Duration.ofMillis(1001))).isEqualTo(3);

    assertThat(ran).containsExactly("1s-a", "1s-b", "2s");
    assertThat(clock.nanoTime()).isEqualTo(TimeUnit.SECONDS.toNanos(2));
    assertThat(clock.pendingTasks()).hasSize(1);
    assertThat(clock.pendingTasks().get(0).getDelay(TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void taskSeesItsDueTimeAndTasksItSchedulesRunInTheSameForward() {
    List<Long> seen = new ArrayList<>();
    clock.schedule(() -> {
      seen.add(clock.nanoTime());
      clock.schedule(() -> seen.add(clock.nanoTime()), 2, TimeUnit.NANOSECONDS);
    }, 5, TimeUnit.NANOSECONDS);

    assertThat(clock.forwardNanos(100)).isEqualTo(2);

    assertThat(seen).containsExactly(5L, 7L);
    assertThat(clock.nanoTime()).isEqualTo(100);
  }

  @Test
  void fixedRateTaskRunsOncePerPeriodCrossed() {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> f = clock.scheduleAtFixedRate(runs::incrementAndGet, 10, 10, TimeUnit.NANOSECONDS);

    clock.forwardNanos(35);
    assertThat(runs).hasValue(3);

    f.cancel(false);
    clock.forwardNanos(100);
    assertThat(runs).hasValue(3);
    assertThat(clock.numPendingTasks()).isZero();
  }

  @Test
  void fixedDelayTaskIsRescheduledFromWhenItRan() {
    List<Long> seen = new ArrayList<>();
    clock.scheduleWithFixedDelay(() -> seen.add(clock.nanoTime()), 5, 10, TimeUnit.NANOSECONDS);

    clock.forwardNanos(30);

    assertThat(seen).containsExactly(5L, 15L, 25L);
  }

  @Test
  void periodicTaskThatThrowsStopsAndItsFutureHoldsTheException() {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> f = clock.scheduleAtFixedRate(() -> {
      if (runs.incrementAndGet() == 2) {
        throw new IllegalStateException("boom");
      }
    }, 1, 1, TimeUnit.NANOSECONDS);

    clock.forwardNanos(10);

    assertThat(runs).hasValue(2);
    assertThat(f.isDone()).isTrue();
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
  }

  @Test
  void taskThatThrowsDoesNotStopTheTasksAfterIt() throws Exception {
    Future<?> failing = clock.submit(() -> {
      throw new IllegalStateException("boom");
    });
    clock.execute(() -> ran.add("after"));

    clock.runDueTasks();

    assertThat(ran).containsExactly("after");
    assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class);
  }

  @Test
  void cancelledTaskNeverRunsAndLeavesThePendingList() {
    ScheduledFuture<?> f = clock.schedule(() -> ran.add("cancelled"), 1, TimeUnit.SECONDS);
    clock.schedule(() -> ran.add("kept"), 2, TimeUnit.SECONDS);

    assertThat(f.cancel(false)).isTrue();

    assertThat(clock.numPendingTasks()).isEqualTo(1);
    clock.forwardTime(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("kept");
    assertThat(f.isCancelled()).isTrue();
  }

  @Test
  void callableResultIsAvailableAfterItRuns() throws Exception {
    ScheduledFuture<String> f = clock.schedule(() -> "done", 1, TimeUnit.MILLISECONDS);
    assertThat(f.isDone()).isFalse();

    clock.forwardTime(1, TimeUnit.MILLISECONDS);

    assertThat(f.get()).isEqualTo("done");
  }

  @Test
  void deadlinesOnTheClockExpireWhenTimeIsForwarded() {
    Deadline d = clock.deadlineAfter(Duration.ofSeconds(1));
    assertThat(d.isExpired()).isFalse();

    clock.forwardTime(Duration.ofSeconds(1));

    assertThat(d.isExpired()).isTrue();
  }

  @Test
  void clockStartingNearTheWrapRunsTasksInOrderAcrossIt() {
    ManualClock wrapping = ManualClock.startingAt(Long.MAX_VALUE - 5);
    List<String> order = new ArrayList<>();
    wrapping.schedule(() -> order.add("after-wrap"), 10, TimeUnit.NANOSECONDS);
    wrapping.schedule(() -> order.add("before-wrap"), 2, TimeUnit.NANOSECONDS);

    assertThat(wrapping.forwardNanos(20)).isEqualTo(2);

    assertThat(order).containsExactly("before-wrap", "after-wrap");
    assertThat(wrapping.nanoTime()).isEqualTo(Long.MIN_VALUE + 14);
  }

  @Test
  void negativeForwardIsRefused() {
    assertThatThrownBy(() -> clock.forwardNanos(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void shutdownRejectsNewTasksAndShutdownNowReturnsPendingOnes() {
    clock.schedule(() -> ran.add("pending"), 1, TimeUnit.SECONDS);
    clock.shutdown();

    assertThatThrownBy(() -> clock.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    assertThat(clock.isShutdown()).isTrue();
    assertThat(clock.isTerminated()).isFalse();

    assertThat(clock.shutdownNow()).hasSize(1);
    assertThat(clock.isTerminated()).isTrue();
    assertThat(clock.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
    clock.forwardTime(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
  }

  @Test
  void invokeAllIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> clock.invokeAll(List.of(() -> 1)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("forwardTime");
  }

  @Test
  void manyThreadsSchedulingWhileTimeIsForwardedLoseNoTask() throws Exception {
    int threads = 4;
    int perThread = 500;
    AtomicInteger runs = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            clock.schedule(runs::incrementAndGet, i % 7, TimeUnit.NANOSECONDS);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        while (!f.isDone()) {
          clock.forwardNanos(1);
        }
        f.get();
      }
      clock.forwardNanos(10);
    } finally {
      pool.shutdownNow();
    }
    assertThat(runs).hasValue(threads * perThread);
    assertThat(clock.numPendingTasks()).isZero();
  }
}
