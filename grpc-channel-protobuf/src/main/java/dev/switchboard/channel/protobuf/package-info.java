/**
 * Marshallers for protobuf messages and rich error details; see {@link
 * dev.switchboard.channel.protobuf.ProtoMarshallers} and {@link
 * dev.switchboard.channel.protobuf.StatusProto}.
 *
 * @since 0.1
 */
package dev.switchboard.channel.protobuf;
