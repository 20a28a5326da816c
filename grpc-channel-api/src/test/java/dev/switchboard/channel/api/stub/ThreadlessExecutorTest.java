package dev.switchboard.channel.api.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
