package dev.switchboard.channel.testing.backend.internal;

import java.nio.charset.StandardCharsets;

/**
 * Reads the protobuf wire format field by field: {@link #next()} moves to the next field, then the
 * caller reads its value with the method for its type or {@link #skip()}s it. Unknown fields are
 * skipped by the callers, so newer senders stay compatible.
 *
 * <p>Not thread-safe: one reader parses one message.
 */
public final class ProtoReader {

  private final byte[] buf;
  private int pos;
  private int tag;

  /** Creates a reader over a whole message. */
  public ProtoReader(byte[] message) {
    this.buf = message;
  }

  /**
   * Moves to the next field.
   *
   * @return its field number, or 0 at the end of the message
   * @throws IllegalArgumentException if the message is malformed
   */
  public int next() {
    if (pos == buf.length) {
      tag = 0;
      return 0;
    }
    long t = varint();
    int field = (int) (t >>> 3);
    if (field < 1 || t >>> 3 > 536_870_911L) {
      throw new IllegalArgumentException("bad field number " + (t >>> 3) + " at byte " + pos
          + " (expected: 1-536870911)");
    }
    tag = (int) t;
    return field;
  }

  /** Reads the current field as {@code int32} (or enum). */
  public int int32() {
    expect(ProtoWriter.WIRE_VARINT);
    return (int) varint();
  }

  /** Reads the current field as a UTF-8 {@code string}. */
  public String string() {
    expect(ProtoWriter.WIRE_LENGTH_DELIMITED);
    int len = length();
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** Skips the current field, whatever its type. */
  public void skip() {
    switch (tag & 7) {
      case ProtoWriter.WIRE_VARINT -> varint();
      case ProtoWriter.WIRE_FIXED64 -> advance(8);
      case ProtoWriter.WIRE_LENGTH_DELIMITED -> advance(length());
      case ProtoWriter.WIRE_FIXED32 -> advance(4);
      default -> throw new IllegalArgumentException(
          "wire type " + (tag & 7) + " of field " + (tag >>> 3) + " (expected: 0, 1, 2 or 5)");
    }
  }

  private void expect(int wireType) {
    if ((tag & 7) != wireType) {
      throw new IllegalArgumentException("field " + (tag >>> 3) + " has wire type " + (tag & 7)
          + " (expected: " + wireType + ")");
    }
  }

  private int length() {
    long len = varint();
    if (len < 0 || len > buf.length - pos) {
      throw new IllegalArgumentException("length " + len + " at byte " + pos + " (expected: at most "
          + (buf.length - pos) + ", the bytes left)");
    }
    return (int) len;
  }

  private void advance(int n) {
    if (n > buf.length - pos) {
      throw new IllegalArgumentException("message truncated at byte " + pos);
    }
    pos += n;
  }

  private long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos == buf.length) {
        throw new IllegalArgumentException("message truncated in a varint at byte " + pos);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes at byte " + pos);
  }
}
