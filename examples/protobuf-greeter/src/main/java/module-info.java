/**
 * An application whose messages and stubs are generated at build time from {@code greeter.proto}
 * (protoc's Java messages and protoc-gen-switchboard's {@code SwitchboardGreeterGrpc}, both in
 * {@code com.example.greeter.api}), calling a greeter server through a Switchboard channel.
 *
 * <p>It reads the channel, the protobuf marshallers and protobuf itself ({@code
 * com.google.protobuf}: Switchboard's {@code protobuf-java-jpms}, the one protobuf module of the
 * image), and exports the generated package to protobuf only, as protobuf's generated code needs.
 */
module com.example.greeter {
  requires dev.switchboard.channel.core;
  requires dev.switchboard.channel.protobuf;
  requires com.google.protobuf;

  exports com.example.greeter.api to com.google.protobuf;
}
