package dev.switchboard.benchmarks;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * grpc-java method descriptors over raw bytes, so that protobuf costs nothing in a comparison.
 * Refers to grpc-java's API only: the cold start runs it on grpc-java's jars alone. Immutable.
 */
public final class GrpcJavaMethods {

  /** Request and response as the bytes on the wire (without gRPC's 5-byte prefix). */
  public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** {@code grpc.health.v1.Health/Check}; an empty request asks about the whole server. */
  public static final MethodDescriptor<byte[], byte[]> HEALTH_CHECK =
      method("grpc.health.v1.Health/Check", MethodDescriptor.MethodType.UNARY);

  private GrpcJavaMethods() {}

  /** Returns the method {@code fullName} of {@code type} over {@link #BYTES}. */
  public static MethodDescriptor<byte[], byte[]> method(String fullName, MethodDescriptor.MethodType type) {
    return MethodDescriptor.newBuilder(BYTES, BYTES).setFullMethodName(fullName).setType(type).build();
  }
}
