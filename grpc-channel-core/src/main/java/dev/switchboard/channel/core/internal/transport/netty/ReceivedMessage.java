package dev.switchboard.channel.core.internal.transport.netty;

import dev.switchboard.channel.api.HasByteBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A received message as the listener gets it: a stream over the buffer that holds it, which closing
 * releases. A marshaller that asks for all the bytes at once gets them in one copy, into an array
 * of the exact size ({@code InputStream}'s own {@code readAllBytes} reads in chunks and copies
 * twice). A marshaller that parses in place reads the buffer's NIO views ({@link HasByteBuffers}).
 *
 * <p>Not thread-safe: read by one thread at a time.
 */
final class ReceivedMessage extends ByteBufInputStream implements HasByteBuffers {
  private final ByteBuf message;

  ReceivedMessage(ByteBuf message) {
    super(message, true);
    this.message = message;
  }

  @Override
  public List<ByteBuffer> byteBuffers() {
    int index = message.readerIndex();
    int length = message.readableBytes();
    if (message.nioBufferCount() == 1) {
      // The usual case (a message within one read): no array of views.
      return List.of(message.nioBuffer(index, length).asReadOnlyBuffer());
    }
    ByteBuffer[] views = message.nioBuffers(index, length);
    for (int i = 0; i < views.length; i++) {
      views[i] = views[i].asReadOnlyBuffer();
    }
    return List.of(views);
  }

  @Override
  public byte[] readAllBytes() throws IOException {
    byte[] all = new byte[available()];
    readFully(all);
    return all;
  }

  @Override
  public byte[] readNBytes(int len) throws IOException {
    if (len < 0) {
      throw new IllegalArgumentException("len: " + len + " (expected: >= 0)");
    }
    byte[] some = new byte[Math.min(len, available())];
    readFully(some);
    return some;
  }
}
