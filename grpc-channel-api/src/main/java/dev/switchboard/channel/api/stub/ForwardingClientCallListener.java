package dev.switchboard.channel.api.stub;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;

/**
 * A {@link ClientCall.Listener} that forwards every callback to another listener; interceptors
 * extend it to see or change responses, headers and the final status.
 *
 * <p>Not thread-safe: callbacks arrive serially, as for any listener.
 *
 * @param <RespT> the response message type
 * @since 0.1
 */
public abstract class ForwardingClientCallListener<RespT> extends ClientCall.Listener<RespT> {

  /** Creates a forwarding listener. */
  protected ForwardingClientCallListener() {}

  /** Returns the listener everything is forwarded to. */
  protected abstract ClientCall.Listener<RespT> delegate();

  @Override
  public void onHeaders(Metadata headers) {
    delegate().onHeaders(headers);
  }

  @Override
  public void onMessage(RespT message) {
    delegate().onMessage(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    delegate().onClose(status, trailers);
  }

  @Override
  public void onReady() {
    delegate().onReady();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{delegate=" + delegate() + "}";
  }

  /**
   * A {@link ForwardingClientCallListener} with its delegate given at construction.
   *
   * <p>Not thread-safe: callbacks arrive serially, as for any listener.
   *
   * @param <RespT> the response message type
   * @since 0.1
   */
  public abstract static class SimpleForwardingClientCallListener<RespT>
      extends ForwardingClientCallListener<RespT> {
    private final ClientCall.Listener<RespT> delegate;

    /** Creates a listener forwarding to {@code delegate}. */
    protected SimpleForwardingClientCallListener(ClientCall.Listener<RespT> delegate) {
      this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    protected ClientCall.Listener<RespT> delegate() {
      return delegate;
    }
  }
}
