package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.PluginOption;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What the channel gives a new balancer besides its {@link ClientConn}: the balancer options the
 * application set on the channel.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class BalancerArgs {
  private final Map<PluginOption<?>, Object> options;

  private BalancerArgs(Builder b) {
    this.options = new IdentityHashMap<>(b.options);
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
    Object value = options.get(requireNonNull(option, "option"));
    return value == null ? option.defaultValue() : option.type().cast(value);
  }

  /** Returns whether the application set {@code option}. */
  public boolean isSet(PluginOption<?> option) {
    return options.containsKey(requireNonNull(option, "option"));
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
    private final Map<PluginOption<?>, Object> options = new IdentityHashMap<>();

    private Builder() {}

    /** Sets a balancer option. Default: none set (each reads as its default). */
    public <T> Builder option(PluginOption<T> option, T value) {
      options.put(requireNonNull(option, "option"), option.cast(value));
      return this;
    }

    /** Sets every option of {@code values}, checking each value's type. */
    public Builder options(Map<PluginOption<?>, ?> values) {
      values.forEach((option, value) -> options.put(option, option.cast(value)));
      return this;
    }

    /** Returns the arguments. */
    public BalancerArgs build() {
      return new BalancerArgs(this);
    }
  }
}
