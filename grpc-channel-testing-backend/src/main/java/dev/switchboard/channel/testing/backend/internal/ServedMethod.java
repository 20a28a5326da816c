package dev.switchboard.channel.testing.backend.internal;

/**
 * What a served method does with the events of one call; one instance per call.
 *
 * <p>Not thread-safe: called on the stream's event loop only.
 */
interface ServedMethod {

  /** The call started with {@code headers}. Default: nothing. */
  default void onStart(ServerStream stream, dev.switchboard.channel.api.Metadata headers) {}

  /** The client cancelled the call, or its connection closed before it ended. Default: nothing. */
  default void onCancel(ServerStream stream) {}

  /** A request message arrived. */
  void onMessage(ServerStream stream, byte[] message);

  /** The client sent its last message. */
  void onHalfClose(ServerStream stream);
}
