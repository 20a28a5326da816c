package dev.switchboard.channel.core.internal.transport;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import java.io.InputStream;

/**
 * Hears a stream's events, serially, on the transport's thread. Must not block.
 *
 * <p>Events come in batches: after one or more events the transport calls {@link #eventsDelivered},
 * at the latest when it has finished the read that produced them (for a unary response, HEADERS,
 * DATA and trailers usually arrive in one read). A listener may hold events until then and hand
 * them on together, so that a thread waiting for them is woken once, not once per event.
 */
public interface ClientStreamListener {

  /** How far a stream got before it closed; decides whether a call may be retried transparently. */
  enum RpcProgress {
    /** The server may have seen the stream. */
    PROCESSED,
    /** The stream never reached the server's application (refused, or GOAWAY before it). */
    REFUSED
  }

  /** Response headers arrived (not called for a trailers-only response). */
  void headersRead(Metadata headers);

  /**
   * One whole, decompressed message arrived, within the requested count. The listener owns and
   * closes {@code message}.
   */
  void messageRead(InputStream message);

  /**
   * The stream can take more messages ({@link ClientStream#isReady()} became true); not called once
   * the stream is half-closed, when no message can be sent.
   */
  void onReady();

  /** The stream ended. Always last, exactly once. */
  void closed(Status status, RpcProgress progress, Metadata trailers);

  /**
   * The events since the last call are all there is for now; called after every event, at the
   * latest at the end of the transport's read that delivered it, also after {@link #closed}.
   */
  void eventsDelivered();
}
