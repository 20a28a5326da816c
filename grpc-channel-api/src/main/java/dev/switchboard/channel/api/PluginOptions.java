package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The values an application set for plugin options ({@link PluginOption}): what {@code
 * ResolverArgs} and {@code BalancerArgs} carry. An option that was not set reads as its default.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class PluginOptions {

  /** No option set. */
  public static final PluginOptions NONE = new PluginOptions(new IdentityHashMap<>());

  private final Map<PluginOption<?>, Object> values;

  private PluginOptions(Map<PluginOption<?>, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the value set for {@code option}, or its default. */
  public <T> T get(PluginOption<T> option) {
    Object value = values.get(requireNonNull(option, "option"));
    return value == null ? option.defaultValue() : option.type().cast(value);
  }

  /** Returns whether a value was set for {@code option}. */
  public boolean isSet(PluginOption<?> option) {
    return values.containsKey(requireNonNull(option, "option"));
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /**
   * Builds {@link PluginOptions}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Map<PluginOption<?>, Object> values = new IdentityHashMap<>();

    private Builder() {}

    /**
     * Sets {@code option}; setting it again replaces its value.
     *
     * @throws IllegalArgumentException if {@code value} is not of the option's type (a value
     *     passed through raw types)
     */
    public <T> Builder set(PluginOption<T> option, T value) {
      values.put(requireNonNull(option, "option"), option.cast(value));
      return this;
    }

    /** Sets every option set in {@code options}. */
    public Builder setAll(PluginOptions options) {
      values.putAll(options.values);
      return this;
    }

    /** Returns the options. */
    public PluginOptions build() {
      return new PluginOptions(new IdentityHashMap<>(values));
    }
  }
}
