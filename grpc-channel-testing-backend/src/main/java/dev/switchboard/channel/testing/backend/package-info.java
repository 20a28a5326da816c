/**
 * The test backend: {@link dev.switchboard.channel.testing.backend.TestBackend}, a small gRPC
 * server on loopback, and {@link dev.switchboard.channel.testing.backend.TestMethods}, the methods
 * it serves (echo, health, streaming, status on demand), with hand-written protobuf marshallers so
 * that callers need neither protobuf nor grpc-java.
 *
 * @since 0.1
 */
package dev.switchboard.channel.testing.backend;
