package dev.switchboard.channel.api.stub;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Metadata;

/**
 * A {@link ClientCall} that forwards every method to another call; interceptors extend it and
 * override what they change (usually {@link #start}, to add headers or wrap the listener).
 *
 * <p>Not thread-safe: the same rules as {@link ClientCall}.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 * @since 0.1
 */
public abstract class ForwardingClientCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {

  /** Creates a forwarding call. */
  protected ForwardingClientCall() {}

  /** Returns the call everything is forwarded to. */
  protected abstract ClientCall<ReqT, RespT> delegate();

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    delegate().start(listener, headers);
  }

  @Override
  public void request(int numMessages) {
    delegate().request(numMessages);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    delegate().cancel(message, cause);
  }

  @Override
  public void halfClose() {
    delegate().halfClose();
  }

  @Override
  public void sendMessage(ReqT message) {
    delegate().sendMessage(message);
  }

  @Override
  public boolean isReady() {
    return delegate().isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate().setMessageCompression(enabled);
  }

  @Override
  public Attributes attributes() {
    return delegate().attributes();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{delegate=" + delegate() + "}";
  }

  /**
   * A {@link ForwardingClientCall} with its delegate given at construction.
   *
   * <p>Not thread-safe: the same rules as {@link ClientCall}.
   *
   * @param <ReqT> the request message type
   * @param <RespT> the response message type
   * @since 0.1
   */
  public abstract static class SimpleForwardingClientCall<ReqT, RespT>
      extends ForwardingClientCall<ReqT, RespT> {
    private final ClientCall<ReqT, RespT> delegate;

    /** Creates a call forwarding to {@code delegate}. */
    protected SimpleForwardingClientCall(ClientCall<ReqT, RespT> delegate) {
      this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    protected ClientCall<ReqT, RespT> delegate() {
      return delegate;
    }
  }
}
