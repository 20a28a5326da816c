package dev.switchboard.channel.api;

import java.net.SocketAddress;

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
 * concurrently. {@link #attributes()} may be called from any thread at any time.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 * @since 0.1
 */
public abstract class ClientCall<ReqT, RespT> {

  /**
   * The key of the remote {@link SocketAddress} of the connection a call went out on, in
   * {@link #attributes()}: the server's address (or a proxy's), as the connection's socket sees
   * it. grpc-java's {@code Grpc.TRANSPORT_ATTR_REMOTE_ADDR}.
   *
   * <pre>{@code
   * call.attributes().get(ClientCall.REMOTE_ADDRESS).ifPresent(a -> log("served by " + a));
   * }</pre>
   *
   * @since 0.1
   */
  public static final Attributes.Key<SocketAddress> REMOTE_ADDRESS = Attributes.Key.create("remote-address");

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

  /**
   * Returns the attributes of the connection the call went out on, such as its
   * {@link #REMOTE_ADDRESS}.
   *
   * <p>They are filled once the call's stream is opened on a connection, so at the latest when the
   * listener hears {@code onHeaders}, or {@code onClose} of a call that reached a connection. They
   * stay empty for a call that never reached one: failed or cancelled while waiting for a
   * connection, dropped or failed by the balancer, or past its deadline before it started. A call
   * that the channel retries transparently on another connection (its stream was refused) reports
   * the connection of its latest attempt.
   *
   * <p>May be called from any thread, at any time; the returned attributes are immutable.
   * grpc-java's {@code ClientCall.getAttributes()} (named here without {@code get}, as every
   * accessor of this API).
   *
   * @return the connection's attributes; by default {@link Attributes#EMPTY}, for calls that know
   *     no connection (the channel's calls override it, and forwarding calls delegate it)
   * @since 0.1
   */
  public Attributes attributes() {
    return Attributes.EMPTY;
  }
}
