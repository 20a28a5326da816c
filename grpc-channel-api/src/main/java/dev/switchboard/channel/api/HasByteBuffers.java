package dev.switchboard.channel.api;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A received message stream whose bytes can also be read in place, from the transport's buffers. A
 * {@link MethodDescriptor.Marshaller} that finds one can parse the message from these buffers
 * instead of copying it out of the stream first.
 *
 * <p>Not thread-safe: used by the thread that parses the message, like the stream itself.
 *
 * @since 0.1
 */
public interface HasByteBuffers {
  /**
   * Returns read-only views of the stream's unread bytes, in order, each positioned at its first
   * byte. Reading the views does not advance the stream. They are valid until the stream is
   * closed, after which their content is undefined: a parser must copy what it keeps.
   */
  List<ByteBuffer> byteBuffers();
}
