package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CallStatsTest {
  private static final long MS = 1_000_000;

  @Test
  void countsPerBackendAndPerCode() {
    CallStats stats = new CallStats();
    stats.record("b2", Status.Code.OK, MS);
    stats.record("b1", Status.Code.OK, MS);
    stats.record("b1", Status.Code.OK, MS);
    stats.record(CallStats.NO_BACKEND, Status.Code.UNAVAILABLE, MS);
    CallStats.Snapshot s = stats.snapshot();
    assertThat(s.perBackend()).containsExactly(
        org.assertj.core.api.Assertions.entry(CallStats.NO_BACKEND, 1),
        org.assertj.core.api.Assertions.entry("b1", 2),
        org.assertj.core.api.Assertions.entry("b2", 1));
    assertThat(s.perCode()).containsOnlyKeys(Status.Code.OK, Status.Code.UNAVAILABLE);
    assertThat(s.calls()).isEqualTo(4);
    assertThat(s.failures()).isEqualTo(1);
  }

  @Test
  void percentilesUseTheNearestRank() {
    CallStats stats = new CallStats();
    for (int i = 100; i >= 1; i--) {
      stats.record("b", Status.Code.OK, i * MS);
    }
    CallStats.Snapshot s = stats.snapshot();
    assertThat(s.percentile(50)).isEqualTo(50 * MS);
    assertThat(s.percentile(90)).isEqualTo(90 * MS);
    assertThat(s.percentile(99)).isEqualTo(99 * MS);
    assertThat(s.percentile(100)).isEqualTo(100 * MS);
    assertThat(s.percentile(0.001)).isEqualTo(MS);
  }

  @Test
  void noCallsHaveZeroLatency() {
    assertThat(new CallStats().snapshot().percentile(99)).isZero();
  }

  @Test
  void percentileOutsideItsRangeIsRejected() {
    assertThatThrownBy(() -> new CallStats().snapshot().percentile(0))
        .hasMessage("percentile: 0.0 (expected: (0, 100])");
  }

  @Test
  void snapshotIsNotChangedByLaterCalls() {
    CallStats stats = new CallStats();
    stats.record("b1", Status.Code.OK, MS);
    CallStats.Snapshot before = stats.snapshot();
    stats.record("b1", Status.Code.OK, MS);
    assertThat(before.calls()).isEqualTo(1);
    assertThat(before.perBackend()).containsEntry("b1", 1);
  }

  @Test
  void callsRecordedFromManyThreadsAreAllCounted() throws Exception {
    CallStats stats = new CallStats();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String backend = "b" + t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) {
            stats.record(backend, Status.Code.OK, i);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(stats.count()).isEqualTo(40_000);
    assertThat(stats.snapshot().perBackend().values()).containsOnly(10_000);
  }

  @Test
  void reportShowsSpreadStatusAndLatency() {
    CallStats stats = new CallStats();
    for (int i = 0; i < 4; i++) {
      stats.record("127.0.0.1:50051", Status.Code.OK, 2 * MS);
    }
    stats.record("127.0.0.1:50052", Status.Code.OK, 4 * MS);
    stats.record("127.0.0.1:50052", Status.Code.OK, 4 * MS);
    stats.record(CallStats.NO_BACKEND, Status.Code.DEADLINE_EXCEEDED, 10 * MS);
    assertThat(CallReport.render(stats.snapshot(), Duration.ofMillis(500))).isEqualTo(
        "7 calls in 0.50 s (14.0/s), 1 failed\n"
            + "backends:\n"
            + "  (no backend)     1  ########\n"
            + "  127.0.0.1:50051  4  ##############################\n"
            + "  127.0.0.1:50052  2  ###############\n"
            + "status:\n"
            + "  OK                 6\n"
            + "  DEADLINE_EXCEEDED  1\n"
            + "latency: p50 2.00 ms, p90 10.00 ms, p99 10.00 ms, max 10.00 ms\n");
  }

  @Test
  void anyNonZeroCountGetsAMark() {
    assertThat(CallReport.bar(1, 1000)).isEqualTo("#");
    assertThat(CallReport.bar(0, 1000)).isEmpty();
  }
}
