package dev.switchboard.benchmarks.load;

import java.io.ByteArrayOutputStream;

/**
 * Hand-encoded {@code grpc.testing.SimpleRequest} messages, so that protobuf stays out of the
 * measurement: the clients send these bytes as they are and never parse a response. Field numbers
 * as in grpc-java's {@code benchmarks/src/main/proto/grpc/testing/messages.proto} (checked against
 * the generated {@code Messages$SimpleRequest.*_FIELD_NUMBER} constants of grpc-benchmarks 1.79.0):
 *
 * <pre>
 * SimpleRequest { PayloadType response_type = 1; int32 response_size = 2; Payload payload = 3; ... }
 * Payload       { PayloadType type = 1; bytes body = 2; }
 * </pre>
 *
 * <p>{@code response_type} and {@code Payload.type} stay at their default, {@code COMPRESSABLE}
 * (0, not written), the only type the benchmark server accepts. The server answers a request of
 * size S with a {@code SimpleResponse} whose payload body is S zero bytes.
 *
 * <p>Immutable (static methods only).
 */
final class SimpleRequests {

  private static final int RESPONSE_SIZE_TAG = 2 << 3; // field 2, varint
  private static final int PAYLOAD_TAG = 3 << 3 | 2; // field 3, length-delimited
  private static final int BODY_TAG = 2 << 3 | 2; // Payload field 2, length-delimited

  private SimpleRequests() {}

  /**
   * Returns a request that carries {@code size} bytes of payload and asks for a response of
   * {@code size} bytes; size 0 is the empty message (no bytes at all).
   */
  static byte[] of(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
    if (size > 0) {
      out.write(RESPONSE_SIZE_TAG);
      writeVarint(out, size);
      out.write(PAYLOAD_TAG);
      writeVarint(out, 1 + varintLength(size) + size);
      out.write(BODY_TAG);
      writeVarint(out, size);
      out.writeBytes(new byte[size]);
    }
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private static int varintLength(int value) {
    int length = 1;
    while ((value & ~0x7F) != 0) {
      length++;
      value >>>= 7;
    }
    return length;
  }
}
