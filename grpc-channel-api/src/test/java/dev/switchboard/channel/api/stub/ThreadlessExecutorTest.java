package dev.switchboard.channel.api.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadlessExecutorTest {

  private final ThreadlessExecutor executor = new ThreadlessExecutor();

  @Test
  void aTaskFromAnotherThreadWakesTheWaiterAndRunsOnIt() throws Exception {
    List<Thread> ranOn = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> submitted = CompletableFuture.runAsync(() -> {
      executor.execute(() -> ranOn.add(Thread.currentThread()));
      executor.execute(() -> ranOn.add(Thread.currentThread()));
    });
    while (ranOn.size() < 2) {
      executor.waitAndDrain();
    }
    submitted.get(10, TimeUnit.SECONDS);
    assertThat(ranOn).containsOnly(Thread.currentThread());
  }

  @Test
  void aBurstOfTasksSubmittedWhileTheWaiterRunsIsDrainedInOneWait() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch burstQueued = new CountDownLatch(1);
    Thread submitter = new Thread(() -> {
      executor.execute(() -> {
        ran.add("headers");
        firstRunning.countDown();
        awaitQuietly(burstQueued);
      });
      awaitQuietly(firstRunning);
      executor.execute(() -> ran.add("message"));
      executor.execute(() -> ran.add("close"));
      burstQueued.countDown();
    });
    submitter.start();

    executor.waitAndDrain();

    // The tasks queued while the first ran were run by the same wait, without parking again.
    assertThat(ran).containsExactly("headers", "message", "close");
    submitter.join(10_000);
  }

  @Test
  void aTaskSubmittedWhileNobodyWaitsLeavesNoWakeUpBehind() throws Exception {
    executor.execute(() -> { });
    executor.waitAndDrain();
    // Nothing is queued now: a wait must park until the next task, not return at once.
    List<String> ran = new CopyOnWriteArrayList<>();
    Thread waiter = new Thread(() -> {
      try {
        executor.waitAndDrain();
        ran.add("woke");
      } catch (InterruptedException e) {
        ran.add("interrupted");
      }
    });
    waiter.start();
    awaitParked(waiter);
    assertThat(ran).isEmpty();
    executor.execute(() -> ran.add("task"));
    waiter.join(10_000);
    assertThat(ran).containsExactly("task", "woke");
  }

  private static void awaitParked(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(thread + " did not park: " + thread.getState());
      }
      Thread.onSpinWait();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void tasksQueuedBeforeTheWaitRunWithoutParking() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    executor.execute(() -> ran.add("a"));
    executor.execute(() -> ran.add("b"));
    executor.waitAndDrain();
    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void anInterruptedWaiterStopsWaiting() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(executor::waitAndDrain).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void afterShutdownTasksRunOnTheSubmittingThread() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    executor.execute(() -> ran.add("queued"));
    executor.shutdown();
    assertThat(ran).containsExactly("queued");
    Thread submitter = CompletableFuture.supplyAsync(() -> {
      executor.execute(() -> ran.add(Thread.currentThread().getName()));
      return Thread.currentThread();
    }).get(10, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("queued", submitter.getName());
  }

  @Test
  void aThrowingTaskDoesNotStrandTheOthers() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    executor.execute(() -> {
      throw new IllegalStateException("callback bug");
    });
    executor.execute(() -> ran.add("after"));
    executor.waitAndDrain();
    assertThat(ran).containsExactly("after");
  }
}
