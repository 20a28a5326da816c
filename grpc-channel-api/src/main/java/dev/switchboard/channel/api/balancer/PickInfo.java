package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;

/**
 * What a {@link Picker} knows about the call it picks for, during one pick.
 *
 * <p>A call may be picked many times (it waits for a new picker, its subconn stopped being {@code
 * READY}, its stream was refused before the server saw it): each pick gets its own view.
 *
 * <p>{@link #headers()} starts, in every pick, as the call's own request headers; a picker may add
 * to them (grpclb adds its {@code lb-token}). What a pick adds belongs to that pick: only the pick
 * whose stream starts sends it, and the next pick starts again from the call's own headers, so a
 * token is never sent twice. Other changes are not allowed.
 *
 * <p>Not thread-safe: valid only during {@link Picker#pick}.
 *
 * @since 0.1
 */
public interface PickInfo {

  /** Returns the method called. */
  MethodDescriptor<?, ?> method();

  /** Returns the call options. */
  CallOptions callOptions();

  /**
   * Returns the request headers of this pick: the call's own, to which the picker may add. The
   * channel copies the call's headers the first time a pick asks for them, so a picker that does
   * not look at headers costs nothing.
   */
  Metadata headers();

  /** Returns a pick info for tests and for balancers that pick on behalf of others. */
  static PickInfo of(MethodDescriptor<?, ?> method, CallOptions callOptions, Metadata headers) {
    requireNonNull(method, "method");
    requireNonNull(callOptions, "callOptions");
    requireNonNull(headers, "headers");
    return new PickInfo() {
      @Override
      public MethodDescriptor<?, ?> method() {
        return method;
      }

      @Override
      public CallOptions callOptions() {
        return callOptions;
      }

      @Override
      public Metadata headers() {
        return headers;
      }
    };
  }
}
