package dev.switchboard.channel.testing.backend;

import dev.switchboard.channel.api.MethodDescriptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/** Adapts {@link TestMethods} to grpc-java's client, the real peer these tests use. */
final class GrpcJava {

  private GrpcJava() {}

  /** Returns grpc-java's descriptor for one of ours, with our marshallers. */
  static <Q, R> io.grpc.MethodDescriptor<Q, R> descriptor(MethodDescriptor<Q, R> d) {
    return io.grpc.MethodDescriptor.<Q, R>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.valueOf(d.type().name()))
        .setFullMethodName(d.fullMethodName())
        .setRequestMarshaller(marshaller(d.requestMarshaller()))
        .setResponseMarshaller(marshaller(d.responseMarshaller()))
        .build();
  }

  /** Returns a plaintext (h2c prior knowledge) channel to {@code backend}. */
  static ManagedChannel plaintextChannel(TestBackend backend) {
    return NettyChannelBuilder.forAddress(backend.address()).usePlaintext().build();
  }

  static void shutdown(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static <T> io.grpc.MethodDescriptor.Marshaller<T> marshaller(
      MethodDescriptor.Marshaller<T> ours) {
    return new io.grpc.MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(T value) {
        return ours.stream(value);
      }

      @Override
      public T parse(InputStream stream) {
        return ours.parse(stream);
      }
    };
  }
}
