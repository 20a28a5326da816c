/**
 * The testing kit: what provider modules and Switchboard's own tests use. {@link
 * dev.switchboard.channel.testing.TestBackend} is a small gRPC server on loopback, and {@link
 * dev.switchboard.channel.testing.TestMethods} describes the methods it serves, with hand-written
 * protobuf marshallers so that callers need neither protobuf nor grpc-java.
 *
 * @since 0.1
 */
package dev.switchboard.channel.testing;
