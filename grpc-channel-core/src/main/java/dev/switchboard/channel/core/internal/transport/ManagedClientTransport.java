package dev.switchboard.channel.core.internal.transport;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;

/**
 * One connection to one address, carrying many streams (an HTTP/2 connection, or an in-memory one
 * in tests).
 *
 * <p>Life cycle: {@link #start} connects; the listener hears {@code transportReady} once the
 * connection can take streams (after the HTTP/2 handshake), {@code transportShutdown} once it no
 * longer takes new streams (connect failure, GOAWAY, loss, or {@link #shutdown}), and
 * {@code transportTerminated} once every stream has ended and the connection is closed. Each is
 * heard at most once, in that order; {@code transportReady} may not come at all.
 *
 * <p>Thread-safe. Listener callbacks come from the transport's own threads (an event loop) and must
 * not block; they must not call back into the transport while expecting to run first.
 */
public interface ManagedClientTransport {

  /**
   * Hears the life cycle of a transport.
   */
  interface Listener {
    /** The connection is established and can take streams. */
    void transportReady();

    /**
     * The connection takes no new streams; streams in flight go on. {@code reason} says why (for a
     * connect failure, it is the error that the subconn reports, UNAVAILABLE naming the address).
     */
    void transportShutdown(Status reason);

    /** Every stream has ended and the connection is closed. Always the last callback. */
    void transportTerminated();

    /** The transport went from no stream to at least one ({@code true}), or back ({@code false}). */
    default void transportInUse(boolean inUse) {}
  }

  /** Starts connecting. Called once. */
  void start(Listener listener);

  /**
   * Creates a stream for a call. It is not started until {@link ClientStream#start}. On a transport
   * that is not ready or has shut down, the returned stream fails at start with
   * {@link ClientStreamListener.RpcProgress#REFUSED} and UNAVAILABLE, so the call can be re-picked.
   *
   * @param headers the call's request headers (user metadata); the transport adds the reserved ones
   */
  ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions);

  /**
   * Returns the connection's attributes: {@link dev.switchboard.channel.api.ClientCall#REMOTE_ADDRESS}
   * once connected (set before {@code transportReady}), {@link Attributes#EMPTY} before. Built once
   * per connection, so that each call can hand them out without allocating. Any thread.
   */
  Attributes attributes();

  /** Takes no new streams; streams in flight finish; then the connection closes. Idempotent. */
  void shutdown(Status reason);

  /** Fails every stream with {@code reason} and closes the connection. Idempotent. */
  void shutdownNow(Status reason);

  /** Returns a description for logs: the address and a connection id. */
  @Override
  String toString();
}
