package dev.switchboard.channel.api;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An outbound message stream that can write itself straight into the transport's buffer. A
 * {@link MethodDescriptor.Marshaller} whose {@code stream} returns one lets the transport size the
 * frame from {@link java.io.InputStream#available()} (which must then be the exact length) and skip
 * the intermediate array that reading the stream would fill; protobuf messages serialize this way.
 * The transport reads the stream instead when it compresses the message.
 *
 * <p>Not thread-safe: used by one thread, once, like the stream itself.
 *
 * @since 0.1
 */
public interface Drainable {
  /**
   * Writes every remaining byte of this stream into {@code target}, which has at least
   * {@code available()} bytes remaining, and advances its position by that many. The stream is
   * then at its end.
   *
   * @return the number of bytes written
   * @throws IOException if the message cannot be written
   */
  int drainTo(ByteBuffer target) throws IOException;
}
