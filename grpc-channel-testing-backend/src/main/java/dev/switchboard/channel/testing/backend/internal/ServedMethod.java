package dev.switchboard.channel.testing.backend.internal;

/**
 * What a served method does with the events of one call; one instance per call.
 *
 * <p>Not thread-safe: called on the stream's event loop only.
 */
interface ServedMethod {

  /** A request message arrived. */
  void onMessage(ServerStream stream, byte[] message);

  /** The client sent its last message. */
  void onHalfClose(ServerStream stream);
}
