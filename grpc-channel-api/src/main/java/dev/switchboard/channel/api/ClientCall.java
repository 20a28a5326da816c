package dev.switchboard.channel.api;

/**
 * One RPC from the client's side: the primitive every stub style is built on.
 *
 * <p>Call {@link #start} once, then {@link #request}, {@link #sendMessage} and {@link #halfClose}
 * in any order that fits the method, and {@link #cancel} at any time. The listener hears
 * {@code onHeaders}, {@code onMessage} for each requested message, {@code onReady} when the call
 * can take more messages without buffering, and {@code onClose} exactly once, always last.
 *
 * <p>Not thread-safe: the methods of one call must not be called concurrently (except
 * {@link #cancel}, which may be called from any thread). Listener callbacks for one call never run
 * concurrently.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 * @since 0.1
 */
public abstract class ClientCall<ReqT, RespT> {

  /**
   * Receives the events of a call. Callbacks run serially, on the call's executor.
   *
   * @param <T> the response message type
   * @since 0.1
   */
  public abstract static class Listener<T> {
    /** The server sent its response headers. */
    public void onHeaders(Metadata headers) {}

    /** A response message arrived; called once for each message requested. */
    public void onMessage(T message) {}

    /** The call ended with {@code status}; always the last callback. */
    public void onClose(Status status, Metadata trailers) {}

    /** The call can take more messages without buffering ({@link ClientCall#isReady()}). */
    public void onReady() {}
  }

  /** Starts the call with the request headers. Must be called first, once. */
  public abstract void start(Listener<RespT> listener, Metadata headers);

  /** Asks for up to {@code numMessages} more response messages. */
  public abstract void request(int numMessages);

  /**
   * Cancels the call: the server receives RST_STREAM and the listener hears {@code onClose} with
   * {@link Status.Code#CANCELLED}. Does nothing once the call has closed.
   */
  public abstract void cancel(String message, Throwable cause);

  /** Says that no more messages will be sent. */
  public abstract void halfClose();

  /** Sends a request message; it may be buffered until the transport can take it. */
  public abstract void sendMessage(ReqT message);

  /**
   * Returns whether messages can be sent without buffering beyond the flow-control window. A
   * sender that respects it gets backpressure.
   */
  public boolean isReady() {
    return true;
  }

  /** Enables or disables compression of the following messages, when a compressor is set. */
  public void setMessageCompression(boolean enabled) {}
}
