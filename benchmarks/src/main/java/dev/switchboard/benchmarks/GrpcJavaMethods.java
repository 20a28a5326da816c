package dev.switchboard.benchmarks;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * grpc-java method descriptors over raw bytes, so that protobuf costs nothing in a comparison.
 * Refers to grpc-java's API only: the cold start runs it on grpc-java's jars alone. Immutable.
 */
public final class GrpcJavaMethods {

  /**
   * Request and response as the bytes on the wire (without gRPC's 5-byte prefix), on grpc-java's
   * fast paths, as its protobuf marshaller uses them: a request stream that is {@link KnownLength}
   * and {@link Drainable} (framed once, written straight out), and a response read in one copy of
   * its known length. (A plain {@code ByteArrayInputStream} would send grpc-java's framer down its
   * unknown-length path, and {@code readAllBytes} copy in chunks: costs its users do not pay.)
   */
  public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new KnownLengthBytes(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        return stream instanceof KnownLength ? stream.readNBytes(stream.available()) : stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** A request's bytes as grpc-java's framer likes them: length known, drained in one write. */
  private static final class KnownLengthBytes extends ByteArrayInputStream implements KnownLength, Drainable {
    KnownLengthBytes(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }

  /** {@code grpc.health.v1.Health/Check}; an empty request asks about the whole server. */
  public static final MethodDescriptor<byte[], byte[]> HEALTH_CHECK =
      method("grpc.health.v1.Health/Check", MethodDescriptor.MethodType.UNARY);

  private GrpcJavaMethods() {}

  /** Returns the method {@code fullName} of {@code type} over {@link #BYTES}. */
  public static MethodDescriptor<byte[], byte[]> method(String fullName, MethodDescriptor.MethodType type) {
    return MethodDescriptor.newBuilder(BYTES, BYTES).setFullMethodName(fullName).setType(type).build();
  }
}
