package dev.switchboard.channel.api.stub;

/**
 * The request side of a streaming call, with flow control both ways: {@link #isReady()} and
 * {@link #setOnReadyHandler} for sending without unbounded buffering, and {@link #request} with
 * {@link #disableAutoRequestWithInitial} for receiving only what the application can take.
 *
 * <p>{@link #onNext} sends a message, {@link #onCompleted} half-closes, {@link #onError} cancels
 * the call.
 *
 * <p>Not thread-safe: like {@link dev.switchboard.channel.api.ClientCall}, use it from one thread
 * at a time (the response observer's callbacks count as that thread); only {@link #cancel} may be
 * called from any thread.
 *
 * @param <ReqT> the request message type
 * @since 0.1
 */
public interface ClientCallStreamObserver<ReqT> extends StreamObserver<ReqT> {

  /**
   * Returns whether a message can be sent now without buffering beyond the flow-control window.
   * Sending while not ready is allowed, but buffers.
   */
  boolean isReady();

  /**
   * Sets the handler run (on the call's executor) each time the call becomes ready after having
   * been not ready. It may be set at any time; a handler set after the call started should check
   * {@link #isReady()} once itself, since a transition may already have happened.
   */
  void setOnReadyHandler(Runnable onReadyHandler);

  /** Asks for {@code count} more response messages; needed only once automatic requests are off. */
  void request(int count);

  /**
   * Turns off the automatic request of one response message at the start and after each response
   * delivered, and requests {@code initial} messages at the start instead. Only allowed in {@link
   * ClientResponseObserver#beforeStart}.
   *
   * @throws IllegalStateException if the call has started
   */
  void disableAutoRequestWithInitial(int initial);

  /** Cancels the call; the response observer receives {@code onError} with CANCELLED. */
  void cancel(String message, Throwable cause);
}
