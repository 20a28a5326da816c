package dev.switchboard.channel.core.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BdpEstimatorTest {

  private static final int MIB = 1024 * 1024;
  private static final long MS = 1_000_000;

  private final BdpEstimator estimator = new BdpEstimator(MIB);
  private long now = 1_000 * MS;

  /** One sample: a ping with the first read, {@code bytes} read in all, acknowledged 10 ms later. */
  private int sample(int bytes) {
    assertThat(estimator.onData(bytes, now)).as("a ping goes out").isTrue();
    now += 10 * MS;
    return estimator.onPingAck(now);
  }

  @Test
  void firstDataReadSendsAPingAndNoSecondOneWhileItIsOut() {
    assertThat(estimator.onData(100, now)).isTrue();
    assertThat(estimator.onData(4 * MIB, now)).isFalse();
    assertThat(estimator.onData(4 * MIB, now)).isFalse();
  }

  @Test
  void windowGrowsToTwiceTheBytesReadDuringTheRoundTrip() {
    assertThat(estimator.onData(MIB / 2, now)).isTrue();
    assertThat(estimator.onData(MIB / 4, now)).isFalse();
    now += 10 * MS;

    assertThat(estimator.onPingAck(now)).isEqualTo(3 * MIB / 2);
    assertThat(estimator.window()).isEqualTo(3 * MIB / 2);
  }

  @Test
  void sampleOfExactlyHalfTheWindowKeepsItAndOneByteMoreGrowsIt() {
    assertThat(sample(MIB / 2)).isZero();
    assertThat(estimator.window()).isEqualTo(MIB);

    BdpEstimator other = new BdpEstimator(MIB);
    other.onData(MIB / 2 + 1, 0);
    assertThat(other.onPingAck(10 * MS)).isEqualTo(MIB + 2);
  }

  @Test
  void windowStopsAtEightMebibytes() {
    assertThat(sample(4 * MIB - 1)).isEqualTo(8 * MIB - 2);
    assertThat(sample(4 * MIB)).isEqualTo(BdpEstimator.MAX_WINDOW);
    assertThat(sample(16 * MIB)).as("bandwidth grew, but the window is at its cap").isZero();
    assertThat(estimator.window()).isEqualTo(8 * MIB);
  }

  @Test
  void largerSampleAtLowerBandwidthDoesNotGrowTheWindow() {
    assertThat(sample(MIB)).isEqualTo(2 * MIB);
    // 1.5 MiB in 20 ms is less bandwidth than 1 MiB in 10 ms: the link, not the window, limits.
    estimator.onData(3 * MIB / 2, now);
    now += 20 * MS;
    assertThat(estimator.onPingAck(now)).isZero();
    assertThat(estimator.window()).isEqualTo(2 * MIB);
  }

  @Test
  void afterSamplesThatChangedNothingPingsWaitForAsManyHalfWindowsUpToTen() {
    assertThat(estimator.onData(1, now)).isTrue();
    for (int unchanged = 1; unchanged <= 2 * BdpEstimator.MAX_BACKOFF; unchanged++) {
      now += 10 * MS;
      assertThat(estimator.onPingAck(now)).as("a sample of one byte changes nothing").isZero();
      // Counted from the read that sent the last ping (its one byte included).
      int due = Math.min(unchanged, BdpEstimator.MAX_BACKOFF) * (MIB / 2);
      assertThat(estimator.onData(due - 2, now)).as("after %d, one byte short", unchanged).isFalse();
      assertThat(estimator.onData(1, now)).as("after %d, at the mark", unchanged).isTrue();
    }
  }

  @Test
  void growthResetsTheBackoff() {
    assertThat(estimator.onData(1, now)).isTrue();
    now += 10 * MS;
    assertThat(estimator.onPingAck(now)).isZero();
    assertThat(estimator.onData(MIB / 2 - 2, now)).as("one half-window due, one byte short").isFalse();
    assertThat(estimator.onData(MIB, now)).isTrue();
    now += 10 * MS;
    assertThat(estimator.onPingAck(now)).isEqualTo(2 * MIB);
    assertThat(estimator.onData(1, now)).as("right after growth, the next read pings").isTrue();
  }

  @Test
  void acknowledgementOfAPingNotSentChangesNothing() {
    assertThat(estimator.onPingAck(now)).isZero();
    assertThat(estimator.onData(MIB, now)).as("no backoff from the stray ack").isTrue();
    now += 10 * MS;
    assertThat(estimator.onPingAck(now)).isEqualTo(2 * MIB);
    assertThat(estimator.onPingAck(now + MS)).as("a second ack of the same ping").isZero();
    assertThat(estimator.window()).isEqualTo(2 * MIB);
  }
}
