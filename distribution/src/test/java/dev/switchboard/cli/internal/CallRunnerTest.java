package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallRunnerTest {
  private final ProgressBar noBar =
      new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 1, false);

  @Test
  void makesExactlyNCallsAndRecordsEachOutcome() throws Exception {
    AtomicInteger made = new AtomicInteger();
    CallRunner runner = new CallRunner(() -> {
      int n = made.incrementAndGet();
      return new Caller.Outcome("b" + (n % 3), n % 10 == 0 ? Status.Code.UNAVAILABLE : Status.Code.OK, n);
    });
    CallRunner.Result result = runner.run(1000, 8, noBar);
    assertThat(made).hasValue(1000);
    assertThat(result.stats().calls()).isEqualTo(1000);
    assertThat(result.stats().failures()).isEqualTo(100);
    assertThat(result.stats().perBackend()).containsOnlyKeys("b0", "b1", "b2");
    assertThat(result.elapsed()).isPositive();
  }

  @Test
  void keepsConcurrencyCallsInFlightAtOnce() throws Exception {
    // Every call waits until four are in flight: the run ends only if four run together.
    CountDownLatch fourInFlight = new CountDownLatch(4);
    CallRunner runner = new CallRunner(() -> {
      fourInFlight.countDown();
      if (!fourInFlight.await(5, TimeUnit.SECONDS)) {
        throw new AssertionError("fewer than 4 calls in flight");
      }
      return new Caller.Outcome("b", Status.Code.OK, 1);
    });
    assertThat(runner.run(4, 4, noBar).stats().calls()).isEqualTo(4);
  }

  @Test
  void callerThatThrowsEndsTheRunWithItsException() {
    CallRunner runner = new CallRunner(() -> {
      throw new IllegalStateException("channel shut down");
    });
    assertThatThrownBy(() -> runner.run(10, 2, noBar))
        .isInstanceOf(IllegalStateException.class).hasMessage("channel shut down");
  }

  @Test
  void stepsTheProgressBarOncePerCallAndEndsItsLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100, true);
    new CallRunner(() -> new Caller.Outcome("b", Status.Code.OK, 1)).run(100, 3, bar);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("]  100/100\n");
  }
}
