package dev.switchboard.channel.testing.backend.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the protobuf wire format for the few field kinds the test messages use: varint scalars
 * and length-delimited strings. Fields holding their default value (0, "") are omitted, as proto3
 * does.
 *
 * <p>Not thread-safe: one writer builds one message.
 */
public final class ProtoWriter {

  static final int WIRE_VARINT = 0;
  static final int WIRE_FIXED64 = 1;
  static final int WIRE_LENGTH_DELIMITED = 2;
  static final int WIRE_FIXED32 = 5;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Writes an {@code int32} (or enum) field; negative values take ten bytes, as in protobuf. */
  public ProtoWriter int32(int field, int value) {
    if (value != 0) {
      tag(field, WIRE_VARINT);
      // int32 is sign-extended to 64 bits on the wire.
      varint(value);
    }
    return this;
  }

  /** Writes a {@code string} field as UTF-8. */
  public ProtoWriter string(int field, String value) {
    if (!value.isEmpty()) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      tag(field, WIRE_LENGTH_DELIMITED);
      varint(bytes.length);
      out.write(bytes, 0, bytes.length);
    }
    return this;
  }

  /** Returns the message written so far. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    if (field < 1 || field > 536_870_911) {
      throw new IllegalArgumentException("field: " + field + " (expected: 1-536870911)");
    }
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
