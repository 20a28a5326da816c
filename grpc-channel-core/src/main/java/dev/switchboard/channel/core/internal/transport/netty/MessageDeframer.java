package dev.switchboard.channel.core.internal.transport.netty;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Splits a stream's received bytes into gRPC messages (1-byte compressed flag, 4-byte length) and
 * hands them out only as they are requested.
 *
 * <p>Flow control, as grpc-java's: while a message is requested, the bytes of it that have arrived
 * are reported as consumed as they arrive, so a message larger than the HTTP/2 window can still be
 * received whole; bytes of a message nobody has asked for yet are not, so the window, not this
 * buffer, bounds what a slow consumer holds.
 *
 * <p>End of stream: a message cut short by the trailers is an INTERNAL error only when the server's
 * status is OK; a server's own error status wins over the cut-short message, as in grpc-java.
 *
 * <p>Buffers: {@link #add} takes ownership of the given buffer; {@link #release} frees everything.
 * The buffer is allocated when the first data arrives. A message is handed out as a stream over
 * retained slices of the received buffers, not copied: the marshaller reads the bytes once, and
 * closing the stream frees them.
 *
 * <p>Not thread-safe: used on the connection's event loop only.
 */
final class MessageDeframer {

  /** Where messages and verdicts go. */
  interface Sink {
    /** A whole, decompressed message. */
    void deliver(InputStream message);

    /** {@code bytes} of the stream's data were processed: give them back to the window. */
    void bytesConsumed(int bytes);

    /** The data is bad; end the stream with {@code status}. */
    void fail(Status status);

    /** Every message before the end of the stream was delivered: close with these. */
    void drained(Status status, Metadata trailers);
  }

  private static final int HEADER_LENGTH = 5;

  private final Sink sink;
  /** Null until data arrives. */
  private CompositeByteBuf buffer;
  private int maxMessageSize;
  private String encoding;
  private int requested;
  private int pendingLength = -1;
  private boolean pendingCompressed;
  /** Bytes of the message being read (frame header included) already given back to the window. */
  private int credited;
  private Status endStatus;
  private Metadata endTrailers;
  private boolean done;
  private boolean processing;
  private boolean released;

  MessageDeframer(Sink sink, int maxMessageSize) {
    this.sink = sink;
    this.maxMessageSize = maxMessageSize;
  }

  void maxMessageSize(int bytes) {
    this.maxMessageSize = bytes;
  }

  /** Sets the response's {@code grpc-encoding}: {@code null} or "identity" for none, or "gzip". */
  void encoding(String encoding) {
    this.encoding = GrpcProtocol.IDENTITY.equals(encoding) ? null : encoding;
  }

  /** Returns the bytes buffered and not yet delivered. */
  int bufferedBytes() {
    return readableBytes() + (pendingLength >= 0 ? HEADER_LENGTH : 0);
  }

  private int readableBytes() {
    return buffer == null ? 0 : buffer.readableBytes();
  }

  /** Adds received data; takes ownership of {@code data}. */
  void add(ByteBuf data) {
    if (done) {
      data.release();
      return;
    }
    if (buffer == null) {
      buffer = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(Integer.MAX_VALUE);
    }
    buffer.addComponent(true, data);
    process();
  }

  /** Allows {@code n} more messages to be delivered. */
  void request(int n) {
    requested = (int) Math.min(Integer.MAX_VALUE, (long) requested + n);
    process();
  }

  /** No more data will come; once the buffered messages are delivered, close with these. */
  void endOfStream(Status status, Metadata trailers) {
    endStatus = status;
    endTrailers = trailers;
    process();
  }

  /** Stops and frees the buffer; nothing more is delivered. */
  void release() {
    done = true;
    if (!released) {
      released = true;
      if (buffer != null) {
        buffer.release();
      }
    }
  }

  private void process() {
    if (processing || done) {
      return; // a delivery that requested more lands here; the outer loop continues
    }
    processing = true;
    try {
      while (!done) {
        if (pendingLength < 0) {
          if (readableBytes() < HEADER_LENGTH) {
            break;
          }
          if (!readHeader()) {
            return;
          }
        }
        if (requested == 0) {
          break;
        }
        creditArrivedBytes();
        if (readableBytes() < pendingLength) {
          break;
        }
        ByteBuf bytes = readMessage(pendingLength);
        boolean compressed = pendingCompressed;
        pendingLength = -1;
        credited = 0;
        requested--;
        InputStream message = compressed ? decompress(bytes) : new ReceivedMessage(bytes);
        if (message == null) {
          return;
        }
        sink.deliver(message);
      }
      if (!done && endStatus != null) {
        if (pendingLength >= 0 && readableBytes() >= pendingLength) {
          return; // a whole message waits for request(); close after it
        }
        boolean cutShort = pendingLength >= 0 || readableBytes() > 0;
        if (cutShort && endStatus.isOk()) {
          fail(Status.INTERNAL.withDescription(pendingLength < 0
              ? "stream ended inside a gRPC frame header: " + readableBytes() + " of 5 bytes"
              : "stream ended mid-message: " + readableBytes() + " of " + pendingLength
                  + " bytes received"));
          return;
        }
        done = true;
        sink.drained(endStatus, endTrailers);
      }
    } finally {
      processing = false;
    }
  }

  /**
   * Gives back to the window the bytes of the requested message that have arrived and were not
   * given back yet; the rest goes back when the message is delivered.
   */
  private void creditArrivedBytes() {
    int arrived = HEADER_LENGTH + Math.min(readableBytes(), pendingLength);
    if (arrived > credited) {
      sink.bytesConsumed(arrived - credited);
      credited = arrived;
    }
  }

  private boolean readHeader() {
    int flags = buffer.readUnsignedByte();
    long length = buffer.readUnsignedInt();
    if ((flags & 0xFE) != 0) {
      fail(Status.INTERNAL.withDescription(
          "gRPC frame has flags 0x" + Integer.toHexString(flags) + " (expected: 0 or 1)"));
      return false;
    }
    if (flags == 1 && encoding == null) {
      fail(Status.INTERNAL.withDescription(
          "compressed gRPC message received but the response has no grpc-encoding"));
      return false;
    }
    if (length > maxMessageSize) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription("inbound message of " + length
          + " bytes exceeds the limit of " + maxMessageSize + " bytes"));
      return false;
    }
    pendingLength = (int) length;
    pendingCompressed = flags == 1;
    return true;
  }

  /**
   * Takes the next {@code length} bytes (all buffered) as one buffer that shares the received
   * buffers' memory; the caller owns it. The buffers read up to its end (its header's, for an empty
   * message) leave the composite now, or a stream of small messages would keep every DATA frame it
   * received.
   */
  private ByteBuf readMessage(int length) {
    ByteBuf message = length == 0 ? Unpooled.EMPTY_BUFFER : retainedSlices(length);
    buffer.discardReadComponents();
    return message;
  }

  /** The next {@code length} bytes as slices of the components themselves, retained and skipped. */
  private ByteBuf retainedSlices(int length) {
    // Slices of the components: they stay valid when the composite drops what it read.
    List<ByteBuf> parts = buffer.decompose(buffer.readerIndex(), length);
    buffer.skipBytes(length);
    if (parts.size() == 1) {
      return parts.get(0).retain();
    }
    ByteBuf[] retained = new ByteBuf[parts.size()];
    for (int i = 0; i < retained.length; i++) {
      retained[i] = parts.get(i).retain();
    }
    return Unpooled.wrappedBuffer(retained.length, retained);
  }

  /** Decompresses {@code compressed} and releases it. */
  private InputStream decompress(ByteBuf compressed) {
    int length = compressed.readableBytes();
    // encoding is "gzip": the stream rejected any other at the headers.
    try (InputStream raw = new ByteBufInputStream(compressed, true);
        InputStream in = new GZIPInputStream(raw)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, length * 2));
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0) {
        out.write(chunk, 0, n);
        if (out.size() > maxMessageSize) {
          fail(Status.RESOURCE_EXHAUSTED.withDescription("decompressed inbound message exceeds the limit of "
              + maxMessageSize + " bytes"));
          return null;
        }
      }
      return new ByteArrayInputStream(out.toByteArray());
    } catch (IOException e) {
      fail(Status.INTERNAL.withDescription("cannot decompress " + encoding + " message: " + e.getMessage())
          .withCause(e));
      return null;
    }
  }

  private void fail(Status status) {
    done = true;
    sink.fail(status);
  }
}
