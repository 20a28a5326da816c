package dev.switchboard.channel.core.interop;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Our method descriptors for grpc's interop services ({@code grpc.testing.TestService} and
 * {@code grpc.testing.UnimplementedService}), marshalling grpc-interop-testing's protobuf classes.
 */
final class InteropMethods {
  private InteropMethods() {}

  static final MethodDescriptor<Empty, Empty> EMPTY_CALL =
      method("grpc.testing.TestService/EmptyCall", MethodType.UNARY, Empty.parser(), Empty.parser());
  static final MethodDescriptor<SimpleRequest, SimpleResponse> UNARY_CALL =
      method("grpc.testing.TestService/UnaryCall", MethodType.UNARY,
          SimpleRequest.parser(), SimpleResponse.parser());
  static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse> STREAMING_OUTPUT_CALL =
      method("grpc.testing.TestService/StreamingOutputCall", MethodType.SERVER_STREAMING,
          StreamingOutputCallRequest.parser(), StreamingOutputCallResponse.parser());
  static final MethodDescriptor<StreamingInputCallRequest, StreamingInputCallResponse> STREAMING_INPUT_CALL =
      method("grpc.testing.TestService/StreamingInputCall", MethodType.CLIENT_STREAMING,
          StreamingInputCallRequest.parser(), StreamingInputCallResponse.parser());
  static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse> FULL_DUPLEX_CALL =
      method("grpc.testing.TestService/FullDuplexCall", MethodType.BIDI_STREAMING,
          StreamingOutputCallRequest.parser(), StreamingOutputCallResponse.parser());
  /** A method TestService declares but grpc-java's TestServiceImpl does not implement. */
  static final MethodDescriptor<Empty, Empty> UNIMPLEMENTED_CALL =
      method("grpc.testing.TestService/UnimplementedCall", MethodType.UNARY, Empty.parser(), Empty.parser());
  /** A method of a service the interop server does not have. */
  static final MethodDescriptor<Empty, Empty> UNIMPLEMENTED_SERVICE_CALL =
      method("grpc.testing.UnimplementedService/UnimplementedCall", MethodType.UNARY,
          Empty.parser(), Empty.parser());

  private static <ReqT extends MessageLite, RespT extends MessageLite> MethodDescriptor<ReqT, RespT> method(
      String fullName, MethodType type, Parser<ReqT> requests, Parser<RespT> responses) {
    return MethodDescriptor.newBuilder(new ProtoMarshaller<>(requests), new ProtoMarshaller<>(responses))
        .type(type)
        .fullMethodName(fullName)
        .build();
  }

  /** Adapts a protobuf message type to our marshaller. */
  private record ProtoMarshaller<T extends MessageLite>(Parser<T> parser) implements MethodDescriptor.Marshaller<T> {
    @Override
    public InputStream stream(T value) {
      return new ByteArrayInputStream(value.toByteArray());
    }

    @Override
    public T parse(InputStream stream) {
      try (stream) {
        return parser.parseFrom(stream);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("not a valid protobuf message: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
