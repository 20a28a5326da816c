package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.Deadline;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the channel gives a new resolver besides its target: a timer, an executor for blocking
 * work, a clock, the default port and options.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class ResolverArgs {
  private final int defaultPort;
  private final ScheduledExecutorService scheduler;
  private final Executor offloadExecutor;
  private final Deadline.Ticker ticker;
  private final Attributes attributes;

  private ResolverArgs(Builder b) {
    this.defaultPort = b.defaultPort;
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    this.offloadExecutor = requireNonNull(b.offloadExecutor, "offloadExecutor");
    this.ticker = b.ticker;
    this.attributes = b.attributes;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns a builder that starts with these values. */
  public Builder toBuilder() {
    return new Builder()
        .defaultPort(defaultPort)
        .scheduler(scheduler)
        .offloadExecutor(offloadExecutor)
        .ticker(ticker)
        .attributes(attributes);
  }

  /** Returns the port to use when the target names none (443 unless the channel says otherwise). */
  public int defaultPort() {
    return defaultPort;
  }

  /** Returns the channel's timer. Resolvers schedule on it; they do not shut it down. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Returns an executor for blocking work (lookups, HTTP calls). Resolvers do not shut it down. */
  public Executor offloadExecutor() {
    return offloadExecutor;
  }

  /** Returns the clock that goes with {@link #scheduler()}. */
  public Deadline.Ticker ticker() {
    return ticker;
  }

  /** Returns options for resolvers, keyed by keys that the resolver modules define. */
  public Attributes attributes() {
    return attributes;
  }

  /**
   * Builds {@link ResolverArgs}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private int defaultPort = 443;
    private ScheduledExecutorService scheduler;
    private Executor offloadExecutor;
    private Deadline.Ticker ticker = Deadline.Ticker.system();
    private Attributes attributes = Attributes.EMPTY;

    private Builder() {}

    /** Sets the default port. Default: 443. */
    public Builder defaultPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
      }
      this.defaultPort = port;
      return this;
    }

    /** Sets the timer. Required. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Sets the executor for blocking work. Required. */
    public Builder offloadExecutor(Executor executor) {
      this.offloadExecutor = requireNonNull(executor, "executor");
      return this;
    }

    /** Sets the clock. Default: the system ticker. */
    public Builder ticker(Deadline.Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    /** Sets resolver options. Default: empty. */
    public Builder attributes(Attributes attributes) {
      this.attributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /** Returns the arguments. */
    public ResolverArgs build() {
      return new ResolverArgs(this);
    }
  }
}
