package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.PluginOptions;

/**
 * What the channel gives a new balancer besides its {@link ClientConn}: the balancer options the
 * application set on the channel.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class BalancerArgs {
  private final PluginOptions options;

  private BalancerArgs(Builder b) {
    this.options = b.options;
  }

  /** Returns arguments with nothing set. */
  public static BalancerArgs defaults() {
    return newBuilder().build();
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the value the application set for {@code option}, or its default. */
  public <T> T option(PluginOption<T> option) {
    return options.get(option);
  }

  /** Returns the balancer options the application set on the channel. */
  public PluginOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "BalancerArgs{options=" + options + "}";
  }

  /**
   * Builds {@link BalancerArgs}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private PluginOptions options = PluginOptions.NONE;

    private Builder() {}

    /** Sets the balancer options. Default: {@link PluginOptions#NONE} (each reads as its default). */
    public Builder options(PluginOptions options) {
      this.options = requireNonNull(options, "options");
      return this;
    }

    /** Returns the arguments. */
    public BalancerArgs build() {
      return new BalancerArgs(this);
    }
  }
}
