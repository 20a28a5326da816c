package dev.switchboard.channel.api;

import java.util.concurrent.TimeUnit;

/**
 * A {@link Channel} with a life cycle: connectivity state, shutdown and termination.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public interface ManagedChannel extends Channel, AutoCloseable {

  /**
   * Returns the aggregate connectivity state.
   *
   * @param requestConnection if the channel is {@link ConnectivityState#IDLE}, start connecting
   */
  ConnectivityState state(boolean requestConnection);

  /**
   * Runs {@code callback} once, on an internal thread, when the state differs from {@code source};
   * at once if it already differs. The callback must not block.
   */
  void notifyWhenStateChanged(ConnectivityState source, Runnable callback);

  /** Makes every subchannel in backoff try to connect again now. */
  void resetConnectBackoff();

  /**
   * Starts an orderly shutdown: new calls fail with {@link Status.Code#UNAVAILABLE}; calls already
   * started continue; calls still waiting for a connection fail.
   */
  ManagedChannel shutdown();

  /** Shuts down and cancels every call in progress with {@link Status.Code#UNAVAILABLE}. */
  ManagedChannel shutdownNow();

  /** Returns whether {@link #shutdown} or {@link #shutdownNow} was called. */
  boolean isShutdown();

  /** Returns whether the channel is shut down and every call and connection has ended. */
  boolean isTerminated();

  /** Waits for termination; returns whether the channel terminated in time. */
  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

  /** Calls {@link #shutdownNow()} and waits up to 5 seconds for termination. */
  @Override
  default void close() {
    shutdownNow();
    try {
      awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
