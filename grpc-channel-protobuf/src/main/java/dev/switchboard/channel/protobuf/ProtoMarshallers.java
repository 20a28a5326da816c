package dev.switchboard.channel.protobuf;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.protobuf.internal.MessageMarshaller;

/**
 * Marshallers for protobuf message types, for method descriptors and for metadata values.
 *
 * <p>A request stream knows its exact length (the message's serialized size) and is {@link
 * dev.switchboard.channel.api.Drainable}: the transport serializes the message straight into the
 * frame, after checking the size against the outbound limit, with no intermediate array. A response
 * is parsed from the transport's buffers in place when the stream offers them ({@link
 * dev.switchboard.channel.api.HasByteBuffers}), else from the stream; the parsed message owns its
 * bytes. Bytes that are not a valid message make the parse fail with an {@link
 * IllegalArgumentException} naming the message type, which the channel turns into a call failing
 * with {@code INTERNAL}.
 *
 * <p>Thread-safe: the marshallers are immutable and may be shared by any number of calls.
 *
 * @since 0.1
 */
public final class ProtoMarshallers {
  private ProtoMarshallers() {}

  /**
   * Returns a marshaller for messages of {@code defaultInstance}'s type, for use in a {@link
   * MethodDescriptor}.
   *
   * @param defaultInstance the type's default instance, such as {@code HelloRequest.getDefaultInstance()}
   */
  public static <T extends MessageLite> MethodDescriptor.Marshaller<T> marshaller(T defaultInstance) {
    return new MessageMarshaller<>(requireNonNull(defaultInstance, "defaultInstance"));
  }

  /**
   * Returns a metadata marshaller for messages of {@code defaultInstance}'s type, for a binary
   * ({@code -bin}) key. Bytes that are not a valid message fail the read with an {@link
   * IllegalArgumentException} naming the type.
   *
   * @param defaultInstance the type's default instance
   */
  public static <T extends MessageLite> Metadata.BinaryMarshaller<T> metadataMarshaller(
      T defaultInstance) {
    MessageMarshaller<T> messages = new MessageMarshaller<>(requireNonNull(defaultInstance, "defaultInstance"));
    return new Metadata.BinaryMarshaller<>() {
      @Override
      public byte[] toBytes(T value) {
        return value.toByteArray();
      }

      @Override
      public T parseBytes(byte[] serialized) {
        try {
          return messages.parser().parseFrom(serialized);
        } catch (InvalidProtocolBufferException e) {
          throw messages.invalid(e);
        }
      }
    };
  }
}
