package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;

/**
 * What the channel gives a new balancer besides its {@link ClientConn}.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class BalancerArgs {
  private final Attributes attributes;

  private BalancerArgs(Builder b) {
    this.attributes = b.attributes;
  }

  /** Returns arguments with nothing set. */
  public static BalancerArgs defaults() {
    return newBuilder().build();
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns options for balancers, keyed by keys that the balancer modules define. */
  public Attributes attributes() {
    return attributes;
  }

  /**
   * Builds {@link BalancerArgs}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Attributes attributes = Attributes.EMPTY;

    private Builder() {}

    /** Sets balancer options. Default: empty. */
    public Builder attributes(Attributes attributes) {
      this.attributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /** Returns the arguments. */
    public BalancerArgs build() {
      return new BalancerArgs(this);
    }
  }
}
