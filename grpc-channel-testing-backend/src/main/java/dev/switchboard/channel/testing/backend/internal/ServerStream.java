package dev.switchboard.channel.testing.backend.internal;

import dev.switchboard.channel.api.Status;

/**
 * The server's side of one call, as a {@link ServedMethod} sees it.
 *
 * <p>Not thread-safe: used only on the stream's event loop.
 */
interface ServerStream {

  /** Sends one response message (and the response headers first, if not sent yet). */
  void sendMessage(byte[] message);

  /** Ends the call with {@code status}; trailers-only if nothing was sent. Later calls do nothing. */
  void close(Status status);

  /**
   * Runs {@code task} after {@code delayMs}, but never before a task scheduled earlier, so
   * responses keep the order of their requests whatever their delays.
   */
  void runInOrder(int delayMs, Runnable task);

  /** Runs {@code task} on the stream's event loop; the one method that may be called from any thread. */
  void execute(Runnable task);
}
