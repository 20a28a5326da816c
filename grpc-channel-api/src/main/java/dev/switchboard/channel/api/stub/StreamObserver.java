package dev.switchboard.channel.api.stub;

/**
 * Receives the values of a stream: any number of {@link #onNext}, then exactly one of
 * {@link #onError} or {@link #onCompleted}.
 *
 * <p>Not thread-safe: the calls into one observer must be made serially. The response observers
 * given to {@link ClientCalls} are called serially on the call's executor.
 *
 * @param <V> the value type
 * @since 0.1
 */
public interface StreamObserver<V> {

  /** Receives the next value. */
  void onNext(V value);

  /**
   * Receives the error that ends the stream; for a call, a {@link
   * dev.switchboard.channel.api.StatusException} carrying its status and trailers.
   */
  void onError(Throwable t);

  /** Says that the stream ended successfully. */
  void onCompleted();
}
