package dev.switchboard.channel.core.internal.transport;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.Status;
import java.io.InputStream;

/**
 * One call's stream on a transport.
 *
 * <p>Not thread-safe: the call drives it serially, except {@link #cancel}, which may come from any
 * thread. The listener is called from the transport's thread, serially.
 */
public interface ClientStream {

  /** Starts the stream: sends the headers. Called once, first. */
  void start(ClientStreamListener listener);

  /** Asks for up to {@code numMessages} more messages; a slow consumer makes the server wait. */
  void request(int numMessages);

  /**
   * Frames and queues one message; the stream owns and closes {@code message}. Writes are flushed
   * at the latest at the end of the event-loop turn (coalesced), or on {@link #flush()}.
   */
  void writeMessage(InputStream message);

  /** Sends what was queued. */
  void flush();

  /** Sends END_STREAM after the queued messages. */
  void halfClose();

  /**
   * Ends the stream with {@code reason}: RST_STREAM(CANCEL) if it was started; the listener hears
   * {@code closed(reason, …)} unless it already closed. Idempotent; any thread.
   */
  void cancel(Status reason);

  /** Returns whether a message can be written without buffering beyond the flow-control window. */
  boolean isReady();

  /**
   * Returns the attributes of the connection the stream is on ({@link ManagedClientTransport#attributes()}),
   * what {@code ClientCall.attributes()} shows. Any thread.
   */
  Attributes attributes();

  /** Enables or disables compression of following messages (when the call has a compressor). */
  void setMessageCompression(boolean enabled);

  /**
   * Sets the maximum size of an inbound message, before {@link #start}; over it the stream ends
   * RESOURCE_EXHAUSTED. (The outbound limit comes with the call options.)
   */
  default void setMaxInboundMessageSize(int bytes) {}
}
