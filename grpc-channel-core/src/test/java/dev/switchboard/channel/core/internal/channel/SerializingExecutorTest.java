package dev.switchboard.channel.core.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerializingExecutorTest {

  @Test
  void onTheDirectExecutorATaskRunsAtOnceOnTheSubmittingThread() {
    SerializingExecutor executor = new SerializingExecutor(DirectExecutor.INSTANCE);
    List<Thread> ranOn = new ArrayList<>();

    executor.execute(() -> ranOn.add(Thread.currentThread()));

    assertThat(ranOn).containsExactly(Thread.currentThread());
  }

  @Test
  void onTheDirectExecutorATaskSubmittedByACallbackRunsAfterIt() {
    SerializingExecutor executor = new SerializingExecutor(DirectExecutor.INSTANCE);
    List<String> ran = new ArrayList<>();

    executor.execute(() -> {
      executor.execute(() -> ran.add("inner"));
      ran.add("outer");
    });

    assertThat(ran).containsExactly("outer", "inner");
  }

  @Test
  void onTheDirectExecutorTasksFromManyThreadsNeverOverlapAndAllRun() throws Exception {
    SerializingExecutor executor = new SerializingExecutor(DirectExecutor.INSTANCE);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    int threads = 4;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < perThread; i++) {
            executor.execute(() -> {
              if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
              }
              done.incrementAndGet();
              running.decrementAndGet();
            });
          }
        });
      }
      go.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(done.get()).isEqualTo(threads * perThread);
    assertThat(overlaps.get()).isZero();
  }

  @Test
  void onTheDirectExecutorTasksOfOneSubmitterRunInItsOrderDespiteAnother() throws Exception {
    SerializingExecutor executor = new SerializingExecutor(DirectExecutor.INSTANCE);
    List<Integer> fromA = Collections.synchronizedList(new ArrayList<>());
    Thread other = new Thread(() -> {
      for (int i = 0; i < 50_000; i++) {
        executor.execute(() -> { });
      }
    });
    other.start();
    for (int i = 0; i < 50_000; i++) {
      int n = i;
      executor.execute(() -> fromA.add(n));
    }
    other.join(30_000);
    assertThat(fromA).hasSize(50_000).isSorted();
  }

  @Test
  void onAPoolTasksRunOnThePoolInOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      SerializingExecutor executor = new SerializingExecutor(pool);
      List<Integer> ran = new CopyOnWriteArrayList<>();
      List<Thread> threads = new CopyOnWriteArrayList<>();
      CountDownLatch last = new CountDownLatch(1);
      for (int i = 0; i < 1000; i++) {
        int n = i;
        executor.execute(() -> {
          ran.add(n);
          threads.add(Thread.currentThread());
          if (n == 999) {
            last.countDown();
          }
        });
      }
      assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).hasSize(1000).isSorted();
      assertThat(threads).doesNotContain(Thread.currentThread());
    } finally {
      pool.shutdownNow();
    }
  }
}
