package dev.switchboard.channel.protobuf.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.switchboard.channel.api.Drainable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A message as a stream: {@link #available()} is its serialized size, known without serializing;
 * {@link #drainTo} and {@link #transferTo} serialize it straight into their target. Only reading it
 * byte by byte serializes it into an array first.
 *
 * <p>Not thread-safe: read once, by one thread.
 */
final class MessageStream extends InputStream implements Drainable {
  /** The message until it is drained or read; then null. */
  private MessageLite message;
  /** The serialized message, once reading has started. */
  private ByteArrayInputStream partial;

  MessageStream(MessageLite message) {
    this.message = message;
  }

  @Override
  public int drainTo(ByteBuffer target) throws IOException {
    if (message != null) {
      int size = message.getSerializedSize();
      CodedOutputStream out = CodedOutputStream.newInstance(target);
      message.writeTo(out);
      out.flush();
      message = null;
      return size;
    }
    if (partial != null) {
      int rest = partial.available();
      target.put(partial.readNBytes(rest));
      return rest;
    }
    return 0;
  }

  @Override
  public long transferTo(OutputStream out) throws IOException {
    if (message != null) {
      int size = message.getSerializedSize();
      message.writeTo(out);
      message = null;
      return size;
    }
    return partial == null ? 0 : partial.transferTo(out);
  }

  @Override
  public int available() {
    if (message != null) {
      return message.getSerializedSize();
    }
    return partial == null ? 0 : partial.available();
  }

  @Override
  public int read() {
    return serialized().read();
  }

  @Override
  public int read(byte[] b, int off, int len) {
    return serialized().read(b, off, len);
  }

  private ByteArrayInputStream serialized() {
    if (partial == null) {
      partial = new ByteArrayInputStream(message == null ? new byte[0] : message.toByteArray());
      message = null;
    }
    return partial;
  }
}
