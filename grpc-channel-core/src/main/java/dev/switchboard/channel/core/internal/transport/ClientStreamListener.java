package dev.switchboard.channel.core.internal.transport;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import java.io.InputStream;

/**
 * Hears a stream's events, serially, on the transport's thread. Must not block.
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

  /** The stream can take more messages ({@link ClientStream#isReady()} became true). */
  void onReady();

  /** The stream ended. Always last, exactly once. */
  void closed(Status status, RpcProgress progress, Metadata trailers);
}
