package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An absolute point in time by which a call must finish, on a {@link Ticker}'s monotonic clock.
 * Deadlines travel to the server as {@code grpc-timeout}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Deadline implements Comparable<Deadline> {

  /**
   * A source of monotonic nanoseconds. The system ticker reads {@link System#nanoTime()}; tests use
   * a manual clock.
   *
   * @since 0.1
   */
  @FunctionalInterface
  public interface Ticker {
    /** Returns the current value of the monotonic clock, in nanoseconds. */
    long nanoTime();

    /** Returns the ticker backed by {@link System#nanoTime()}. */
    static Ticker system() {
      return System::nanoTime;
    }
  }

  private static final Ticker SYSTEM = Ticker.system();

  // Offsets are clamped to about a century either way, as grpc-java does: deadlines then stay
  // within 2^62 ns of "now", so the wrap-aware differences below never overflow, whatever value
  // the ticker starts from.
  private static final long MAX_OFFSET_NANOS = TimeUnit.DAYS.toNanos(100L * 365);

  private final Ticker ticker;
  private final long deadlineNanos;

  private Deadline(Ticker ticker, long deadlineNanos) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
  }

  /** Returns a deadline {@code timeout} from now on the system ticker. */
  public static Deadline after(Duration timeout) {
    return after(timeout, SYSTEM);
  }

  /** Returns a deadline {@code duration unit} from now on the system ticker. */
  public static Deadline after(long duration, TimeUnit unit) {
    return after(Duration.ofNanos(unit.toNanos(duration)), SYSTEM);
  }

  /**
   * Returns a deadline {@code timeout} from now on {@code ticker}. A timeout beyond about 100 years
   * either way is clamped to 100 years.
   */
  public static Deadline after(Duration timeout, Ticker ticker) {
    requireNonNull(timeout, "timeout");
    requireNonNull(ticker, "ticker");
    long nanos = Math.max(-MAX_OFFSET_NANOS, Math.min(MAX_OFFSET_NANOS, saturatedNanos(timeout)));
    // May wrap past Long.MAX_VALUE, like System.nanoTime() itself; every comparison subtracts.
    return new Deadline(ticker, ticker.nanoTime() + nanos);
  }

  /** Returns the ticker this deadline is measured on. */
  public Ticker ticker() {
    return ticker;
  }

  /** Returns whether the deadline has passed. */
  public boolean isExpired() {
    return ticker.nanoTime() - deadlineNanos >= 0;
  }

  /** Returns the time remaining, negative if the deadline has passed. */
  public long timeRemaining(TimeUnit unit) {
    return unit.convert(deadlineNanos - ticker.nanoTime(), TimeUnit.NANOSECONDS);
  }

  /** Returns whichever of this and {@code other} comes first. */
  public Deadline minimum(Deadline other) {
    return compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(Deadline other) {
    return Long.compare(deadlineNanos - other.deadlineNanos, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline
        && ((Deadline) o).ticker == ticker
        && ((Deadline) o).deadlineNanos == deadlineNanos;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(deadlineNanos);
  }

  @Override
  public String toString() {
    long remaining = timeRemaining(TimeUnit.NANOSECONDS);
    return "Deadline{" + Duration.ofNanos(remaining) + " from now}";
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
