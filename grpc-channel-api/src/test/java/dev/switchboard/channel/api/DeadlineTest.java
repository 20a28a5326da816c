package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  /** A ticker the test moves by hand. */
  private static final class ManualTicker implements Deadline.Ticker {
    private long now;

    ManualTicker(long start) {
      this.now = start;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    void forward(Duration d) {
      now += d.toNanos();
    }
  }

  private static final long HUNDRED_YEARS_IN_DAYS = 100L * 365;

  private final ManualTicker ticker = new ManualTicker(12345);

  @Test
  void expiresExactlyWhenTheTickerReachesIt() {
    Deadline d = Deadline.after(Duration.ofSeconds(1), ticker);

    ticker.forward(Duration.ofNanos(999_999_999));
    assertThat(d.isExpired()).isFalse();
    assertThat(d.timeRemaining(TimeUnit.NANOSECONDS)).isEqualTo(1);

    ticker.forward(Duration.ofNanos(1));
    assertThat(d.isExpired()).isTrue();
    assertThat(d.timeRemaining(TimeUnit.NANOSECONDS)).isZero();

    ticker.forward(Duration.ofSeconds(2));
    assertThat(d.timeRemaining(TimeUnit.SECONDS)).isEqualTo(-2);
  }

  @Test
  void zeroAndNegativeTimeoutsAreAlreadyExpired() {
    assertThat(Deadline.after(Duration.ZERO, ticker).isExpired()).isTrue();
    assertThat(Deadline.after(Duration.ofSeconds(-3), ticker).timeRemaining(TimeUnit.SECONDS)).isEqualTo(-3);
  }

  @Test
  void hugeTimeoutSaturatesInsteadOfOverflowing() {
    Deadline far = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), ticker);
    Deadline alsoFar = Deadline.after(Long.MAX_VALUE, TimeUnit.DAYS);

    assertThat(far.isExpired()).isFalse();
    assertThat(far.timeRemaining(TimeUnit.DAYS)).isGreaterThanOrEqualTo(HUNDRED_YEARS_IN_DAYS - 1);
    assertThat(alsoFar.isExpired()).isFalse();
    ticker.forward(Duration.ofDays(365 * 50));
    assertThat(far.isExpired()).isFalse();
    assertThat(far).isGreaterThan(Deadline.after(Duration.ofDays(1), ticker));
  }

  @Test
  void hugeNegativeTimeoutSaturatesAndIsExpired() {
    Deadline past = Deadline.after(Duration.ofSeconds(Long.MIN_VALUE), ticker);

    assertThat(past.isExpired()).isTrue();
    assertThat(past.timeRemaining(TimeUnit.DAYS)).isLessThanOrEqualTo(-(HUNDRED_YEARS_IN_DAYS - 1));
    assertThat(past).isLessThan(Deadline.after(Duration.ZERO, ticker));
  }

  @Test
  void deadlineCrossingTheTickerWrapKeepsItsFullTimeout() {
    ManualTicker nearWrap = new ManualTicker(Long.MAX_VALUE - 10);

    Deadline d = Deadline.after(Duration.ofSeconds(1), nearWrap);

    assertThat(d.timeRemaining(TimeUnit.NANOSECONDS)).isEqualTo(1_000_000_000L);
    nearWrap.forward(Duration.ofMillis(500));
    assertThat(d.isExpired()).isFalse();
    nearWrap.forward(Duration.ofMillis(500));
    assertThat(d.isExpired()).isTrue();
  }

  @Test
  void farDeadlineOnANegativeTickerIsNotExpired() {
    ManualTicker negative = new ManualTicker(-5);

    Deadline far = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), negative);

    assertThat(far.isExpired()).isFalse();
  }

  @Test
  void compareToOrdersDeadlinesOnEitherSideOfTheWrap() {
    ManualTicker nearWrap = new ManualTicker(Long.MAX_VALUE - 5);
    Deadline beforeWrap = Deadline.after(Duration.ofNanos(1), nearWrap);
    Deadline afterWrap = Deadline.after(Duration.ofNanos(10), nearWrap);

    assertThat(beforeWrap).isLessThan(afterWrap);
    assertThat(afterWrap).isGreaterThan(beforeWrap);
    assertThat(beforeWrap.compareTo(Deadline.after(Duration.ofNanos(1), nearWrap))).isZero();
    assertThat(beforeWrap.minimum(afterWrap)).isSameAs(beforeWrap);
    assertThat(afterWrap.minimum(beforeWrap)).isSameAs(beforeWrap);
  }

  @Test
  void minimumPrefersThisOnATie() {
    Deadline a = Deadline.after(Duration.ofSeconds(1), ticker);
    Deadline b = Deadline.after(Duration.ofSeconds(1), ticker);

    assertThat(a.minimum(b)).isSameAs(a);
    assertThat(b.minimum(a)).isSameAs(b);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void deadlinesOnDifferentTickersAreNotEqual() {
    Deadline a = Deadline.after(Duration.ofSeconds(1), ticker);
    Deadline b = Deadline.after(Duration.ofSeconds(1), new ManualTicker(12345));

    assertThat(a).isNotEqualTo(b);
    assertThat(a.ticker()).isSameAs(ticker);
  }

  @Test
  void systemTickerDeadlineIsInTheFuture() {
    Deadline d = Deadline.after(Duration.ofHours(1));

    assertThat(d.isExpired()).isFalse();
    assertThat(d.timeRemaining(TimeUnit.MINUTES)).isBetween(58L, 60L);
    assertThat(d.toString()).startsWith("Deadline{PT").endsWith(" from now}");
  }
}
