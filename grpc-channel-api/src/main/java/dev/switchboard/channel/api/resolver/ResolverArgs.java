package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.PluginOptions;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the channel gives a new resolver besides its target: a timer, an executor for blocking
 * work, a clock, the default port of its transport, the channel's authority, whether it ignores
 * service configs from resolvers, and the resolver options the application set on the channel.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class ResolverArgs {
  private final int defaultPort;
  private final String authority;
  private final boolean serviceConfigIgnored;
  private final ScheduledExecutorService scheduler;
  private final Executor offloadExecutor;
  private final Deadline.Ticker ticker;
  private final PluginOptions options;

  private ResolverArgs(Builder b) {
    this.defaultPort = b.defaultPort;
    this.authority = b.authority;
    this.serviceConfigIgnored = b.serviceConfigIgnored;
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    this.offloadExecutor = requireNonNull(b.offloadExecutor, "offloadExecutor");
    this.ticker = b.ticker;
    this.options = b.options;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns a builder that starts with these values. */
  public Builder toBuilder() {
    Builder b = new Builder()
        .defaultPort(defaultPort)
        .serviceConfigIgnored(serviceConfigIgnored)
        .scheduler(scheduler)
        .offloadExecutor(offloadExecutor)
        .ticker(ticker);
    b.authority = authority;
    b.options = options;
    return b;
  }

  /**
   * Returns the port to use when the target names none: the channel's transport's, 443 with TLS
   * and 80 in plain text (as grpc-java).
   */
  public int defaultPort() {
    return defaultPort;
  }

  /**
   * Returns the channel's authority (its {@code overrideAuthority}, or the one derived from the
   * target); empty when not known (a resolver created outside a channel).
   */
  public String authority() {
    return authority;
  }

  /**
   * Returns whether the channel ignores service configs from resolvers
   * ({@code ChannelBuilder.ignoreResolverServiceConfig()}): a resolver may then skip looking them
   * up (the DNS resolver skips its TXT query).
   */
  public boolean serviceConfigIgnored() {
    return serviceConfigIgnored;
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

  /** Returns the value the application set for {@code option}, or its default. */
  public <T> T option(PluginOption<T> option) {
    return options.get(option);
  }

  /** Returns the resolver options the application set on the channel. */
  public PluginOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "ResolverArgs{defaultPort=" + defaultPort + ", authority=" + authority
        + (serviceConfigIgnored ? ", serviceConfigIgnored" : "") + ", options=" + options + "}";
  }

  /**
   * Builds {@link ResolverArgs}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private int defaultPort = 443;
    private String authority = "";
    private boolean serviceConfigIgnored;
    private ScheduledExecutorService scheduler;
    private Executor offloadExecutor;
    private Deadline.Ticker ticker = Deadline.Ticker.system();
    private PluginOptions options = PluginOptions.NONE;

    private Builder() {}

    /** Sets the default port. Default: 443. */
    public Builder defaultPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
      }
      this.defaultPort = port;
      return this;
    }

    /** Sets the channel's authority. Default: empty (not known). */
    public Builder authority(String authority) {
      this.authority = requireNonNull(authority, "authority");
      return this;
    }

    /** Sets whether the channel ignores service configs from resolvers. Default: false. */
    public Builder serviceConfigIgnored(boolean ignored) {
      this.serviceConfigIgnored = ignored;
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

    /** Sets the resolver options. Default: {@link PluginOptions#NONE} (each reads as its default). */
    public Builder options(PluginOptions options) {
      this.options = requireNonNull(options, "options");
      return this;
    }

    /** Returns the arguments. */
    public ResolverArgs build() {
      return new ResolverArgs(this);
    }
  }
}
