package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;

/**
 * What a {@link Picker} knows about the call it picks for. The channel passes the call itself, so
 * a pick allocates nothing.
 *
 * <p>Not thread-safe: valid only during {@link Picker#pick}. A picker may add to
 * {@link #headers()} (grpclb adds its {@code lb-token}); other changes are not allowed.
 *
 * @since 0.1
 */
public interface PickInfo {

  /** Returns the method called. */
  MethodDescriptor<?, ?> method();

  /** Returns the call options. */
  CallOptions callOptions();

  /** Returns the request headers, which the picker may add to. */
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
