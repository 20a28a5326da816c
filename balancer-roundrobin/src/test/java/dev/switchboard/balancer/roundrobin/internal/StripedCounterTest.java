package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;

class StripedCounterTest {

  @Test
  void stripesArePowersOfTwoCoveringTheProcessorsUpToSixteen() {
    assertThat(StripedCounter.stripesFor(1)).isEqualTo(1);
    assertThat(StripedCounter.stripesFor(2)).isEqualTo(2);
    assertThat(StripedCounter.stripesFor(3)).isEqualTo(4);
    assertThat(StripedCounter.stripesFor(8)).isEqualTo(8);
    assertThat(StripedCounter.stripesFor(9)).isEqualTo(16);
    assertThat(StripedCounter.stripesFor(256)).isEqualTo(16);
  }

  @Test
  void oneThreadCountsUpByOneFromZero() {
    StripedCounter counter = new StripedCounter();

    assertThat(counter.next()).isZero();
    assertThat(counter.next()).isEqualTo(1);
    assertThat(counter.next()).isEqualTo(2);
  }

  @Test
  void twoBusyThreadsStartedOnOneStripeMoveApartAndLoseNoCount() throws Exception {
    StripedCounter counter = new StripedCounter(2);
    AtomicIntegerArray stripes = new AtomicIntegerArray(new int[] {-1, -1});
    AtomicLongArray taken = new AtomicLongArray(2);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch ready = new CountDownLatch(2);
    Thread[] threads = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int me = t;
      threads[t] = new Thread(() -> {
        StripedCounter.startOn(0);
        ready.countDown();
        long n = 0;
        while (!stop.get()) {
          counter.next();
          if (++n % 1024 == 0) {
            stripes.set(me, counter.currentStripe());
          }
        }
        taken.set(me, n);
      });
      threads[t].start();
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (stripes.get(0) < 0 || stripes.get(1) < 0 || stripes.get(0) == stripes.get(1)) {
      assertThat(System.nanoTime()).as("the threads share a stripe still").isLessThan(deadline);
      Thread.onSpinWait();
    }
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(10_000);
    }

    assertThat(counter.sum()).isEqualTo(taken.get(0) + taken.get(1));
  }

  @Test
  void aCountAfterAMoveComesFromTheNewStripe() {
    StripedCounter counter = new StripedCounter(4);
    StripedCounter.startOn(2);
    assertThat(counter.currentStripe()).isEqualTo(2);
    assertThat(counter.next()).isZero();
    assertThat(counter.next()).isEqualTo(1);
    StripedCounter.startOn(3);
    assertThat(counter.next()).as("stripe 3 starts at zero").isZero();
    assertThat(counter.sum()).isEqualTo(3);
  }

  @Test
  void aStripeCountThatIsNotAPowerOfTwoIsRefused() {
    assertThatThrownBy(() -> new StripedCounter(3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stripes: 3");
  }
}
