package dev.switchboard.balancer.grpclb.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.switchboard.channel.api.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** TEMP until grpc-channel-protobuf lands. */
final class ProtoMarshaller<T extends Message> implements MethodDescriptor.Marshaller<T> {
  private final Parser<T> parser;

  private ProtoMarshaller(Parser<T> parser) {
    this.parser = parser;
  }

  @SuppressWarnings("unchecked")
  static <T extends Message> ProtoMarshaller<T> of(T defaultInstance) {
    return new ProtoMarshaller<>((Parser<T>) defaultInstance.getParserForType());
  }

  @Override
  public InputStream stream(T value) {
    return new ByteArrayInputStream(value.toByteArray());
  }

  @Override
  public T parse(InputStream stream) {
    try {
      return parser.parseFrom(stream);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
