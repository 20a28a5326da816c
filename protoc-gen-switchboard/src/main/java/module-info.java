/**
 * protoc-gen-switchboard: a protoc plugin that generates, for each service of a {@code .proto}
 * file, a class {@code Switchboard<Service>Grpc} with the service's method descriptors and
 * blocking, future and async stubs on Switchboard's channel API ({@code
 * dev.switchboard.channel.api.stub}), marshalling messages with {@code
 * dev.switchboard.channel.protobuf.ProtoMarshallers}. The name differs from grpc-java's {@code
 * <Service>Grpc}, so both can sit in one package.
 *
 * <p>It reads a {@code CodeGeneratorRequest} on standard input and writes a {@code
 * CodeGeneratorResponse} on standard output (protobuf-java's {@code
 * com.google.protobuf.compiler.PluginProtos}). Run it as a JVM plugin of a Maven protobuf plugin
 * (the jar's {@code Main-Class}), or from {@code protoc --plugin=protoc-gen-switchboard=<script>}
 * with the script {@code bin/protoc-gen-switchboard} (see the module's README).
 *
 * <p>Options ({@code --switchboard_opt=…}, or the Maven plugin's {@code options}), comma-separated:
 * <ul>
 *   <li>{@code package=<java package>}: the generated classes go into this package instead of the
 *       {@code .proto} file's Java package. For messages that live in another module: on the
 *       module path no class can join a package another module holds.
 * </ul>
 *
 * <p>The module exports nothing: it is a program, not a library.
 *
 * @since 0.1
 */
module dev.switchboard.protoc {
  requires com.google.protobuf;
}
