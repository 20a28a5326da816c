/**
 * Protobuf messages on Switchboard channels.
 *
 * <ul>
 *   <li>{@link dev.switchboard.channel.protobuf.ProtoMarshallers}: method and metadata marshallers
 *       for generated message types. Requests are serialized straight into the transport's frame,
 *       sized by the message's serialized size; responses are parsed from the transport's buffers
 *       in place.
 *   <li>{@link dev.switchboard.channel.protobuf.StatusProto}: rich error details
 *       ({@code google.rpc.Status} in the {@code grpc-status-details-bin} trailer), as grpc-java's
 *       {@code io.grpc.protobuf.StatusProto}.
 * </ul>
 *
 * <p>Protobuf itself is the module {@code com.google.protobuf} (artifact
 * {@code dev.switchboard:protobuf-java-jpms}): protobuf-java's classes with a module descriptor,
 * one module shared by this module, the grpclb balancer and the application's generated messages,
 * so that an image holds protobuf once. The module requires only the API module and protobuf.
 *
 * @since 0.1
 */
module dev.switchboard.channel.protobuf {
  requires transitive dev.switchboard.channel.api;
  requires transitive com.google.protobuf;

  exports dev.switchboard.channel.protobuf;
  exports dev.switchboard.channel.protobuf.rpc;
}
