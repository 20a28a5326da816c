package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;

/**
 * Options for {@link ClientConn#newSubConn}: the state listener and attributes.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class SubConnOptions {
  private final SubConnStateListener stateListener;
  private final Attributes attributes;

  private SubConnOptions(Builder b) {
    this.stateListener = requireNonNull(b.stateListener, "stateListener");
    this.attributes = b.attributes;
  }

  /** Returns options with only a state listener. */
  public static SubConnOptions of(SubConnStateListener stateListener) {
    return newBuilder().stateListener(stateListener).build();
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the listener that hears the subconn's state changes. */
  public SubConnStateListener stateListener() {
    return stateListener;
  }

  /** Returns the attributes, readable from {@link SubConn#attributes()}. */
  public Attributes attributes() {
    return attributes;
  }

  /**
   * Builds {@link SubConnOptions}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private SubConnStateListener stateListener;
    private Attributes attributes = Attributes.EMPTY;

    private Builder() {}

    /** Sets the state listener. Required. */
    public Builder stateListener(SubConnStateListener listener) {
      this.stateListener = requireNonNull(listener, "listener");
      return this;
    }

    /** Sets the attributes. Default: empty. */
    public Builder attributes(Attributes attributes) {
      this.attributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /** Returns the options. */
    public SubConnOptions build() {
      return new SubConnOptions(this);
    }
  }
}
