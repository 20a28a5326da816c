package dev.switchboard.channel.protobuf.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.switchboard.channel.api.HasByteBuffers;
import dev.switchboard.channel.api.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The marshaller of one message type: {@link MessageStream}s out, in-place parsing in.
 *
 * <p>Immutable.
 */
public final class MessageMarshaller<T extends MessageLite> implements MethodDescriptor.Marshaller<T> {
  private final Parser<T> parser;
  private final String typeName;

  @SuppressWarnings("unchecked")
  public MessageMarshaller(T defaultInstance) {
    this.parser = (Parser<T>) defaultInstance.getParserForType();
    this.typeName = defaultInstance instanceof Message full
        ? full.getDescriptorForType().getFullName()
        : defaultInstance.getClass().getName();
  }

  public Parser<T> parser() {
    return parser;
  }

  /** Returns the exception for bytes that are not a message of this type. */
  public IllegalArgumentException invalid(InvalidProtocolBufferException e) {
    return new IllegalArgumentException("not a valid " + typeName + " message: " + e.getMessage(), e);
  }

  @Override
  public InputStream stream(T value) {
    return new MessageStream(value);
  }

  @Override
  public T parse(InputStream stream) {
    try {
      // A stream without buffers is read into one array: a decoder over the stream would
      // allocate and fill a 4 KiB buffer of its own for every message, however small.
      CodedInputStream in = stream instanceof HasByteBuffers inPlace
          ? codedInput(inPlace.byteBuffers())
          : CodedInputStream.newInstance(stream.readAllBytes());
      T message = parser.parseFrom(in);
      // parseFrom(CodedInputStream) stops at a stray end-group tag: the whole input must be used.
      in.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw invalid(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CodedInputStream codedInput(List<ByteBuffer> buffers) {
    return buffers.size() == 1
        ? CodedInputStream.newInstance(buffers.get(0))
        : CodedInputStream.newInstance(buffers);
  }
}
