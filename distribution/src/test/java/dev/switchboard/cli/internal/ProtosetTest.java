package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --protoset FILE}: the types from a descriptor set (written here from grpc-java's interop
 * descriptors, as {@code protoc --descriptor_set_out --include_imports} writes one), against a
 * grpc-java server without reflection; and the descriptor sets that are not fit to use.
 */
class ProtosetTest {
  @TempDir Path dir;

  private final CapturedCli cli = new CapturedCli();

  @Test
  void callWithAProtosetNeedsNoReflection() throws Exception {
    Path set = ReflectionTestServer.writeProtoset(dir.resolve("test.protoset"), true);
    try (ReflectionTestServer server = new ReflectionTestServer(ReflectionTestServer.Reflection.NONE)) {
      assertThat(cli.run("call", server.target(), "--plaintext", "--protoset", set.toString(),
          "--method", "grpc.testing.TestService/StreamingOutputCall",
          "--data", "{\"responseParameters\": [{\"size\": 1}, {\"size\": 2}]}")).as(cli.err()).isZero();
      assertThat(cli.out()).isEqualTo("{\"payload\":{\"body\":\"AA==\"}}\n{\"payload\":{\"body\":\"AAA=\"}}\n");
      assertThat(server.calls("grpc.testing.TestService/StreamingOutputCall")).isEqualTo(1);
    }
  }

  @Test
  void protosetWithoutDataSendsOneEmptyRequest() throws Exception {
    Path set = ReflectionTestServer.writeProtoset(dir.resolve("test.protoset"), true);
    try (ReflectionTestServer server = new ReflectionTestServer(ReflectionTestServer.Reflection.NONE)) {
      assertThat(cli.run("call", server.target(), "--plaintext", "--protoset", set.toString(),
          "--method", "grpc.testing.TestService/EmptyCall")).as(cli.err()).isZero();
      assertThat(cli.out()).isEqualTo("{}\n");
      assertThat(server.calls("grpc.testing.TestService/EmptyCall")).isEqualTo(1);
    }
  }

  @Test
  void describeWithAProtosetNeedsNoServer() throws Exception {
    Path set = ReflectionTestServer.writeProtoset(dir.resolve("test.protoset"), true);
    assertThat(cli.run("describe", "--protoset", set.toString())).as(cli.err()).isZero();
    // Every service of the file (it declares six), sorted; TestService as reflection gives it.
    assertThat(cli.out()).contains(DescribeCommandTest.TEST_SERVICE)
        .contains("grpc.testing.UnimplementedService (grpc/testing/test.proto)\n"
            + "  rpc UnimplementedCall(grpc.testing.Empty) returns (grpc.testing.Empty)  unary\n");
    assertThat(cli.run("describe", "--protoset", set.toString(), "grpc.testing.TestService")).isZero();
    assertThat(cli.out()).endsWith("\n" + DescribeCommandTest.TEST_SERVICE);
  }

  @Test
  void missingFileIsOneLineNamingIt() {
    assertThat(cli.run("describe", "--protoset", dir.resolve("nope.pb").toString())).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("switchboard: describe: --protoset '" + dir.resolve("nope.pb") + "': cannot be read: ")
        .contains("NoSuchFileException");
  }

  @Test
  void fileThatIsNotADescriptorSetIsOneLine() throws Exception {
    Path text = Files.writeString(dir.resolve("test.proto"), "syntax = \"proto3\";\nservice S {}\n");
    assertThat(cli.run("call", "127.0.0.1:1", "--plaintext", "--protoset", text.toString(), "--method",
        "S/M")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("switchboard: call: --protoset '" + text + "': not a descriptor set"
            + " (google.protobuf.FileDescriptorSet): ");
  }

  @Test
  void emptyFileIsOneLine() throws Exception {
    Path empty = Files.write(dir.resolve("empty.pb"), new byte[0]);
    assertThat(cli.run("describe", "--protoset", empty.toString())).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("switchboard: describe: --protoset '" + empty + "': holds no file"
        + " (expected: a descriptor set such as protoc --descriptor_set_out=FILE --include_imports"
        + " writes)\n");
  }

  @Test
  void setWithoutItsImportsNamesTheMissingFile() throws Exception {
    Path set = ReflectionTestServer.writeProtoset(dir.resolve("test.protoset"), false);
    assertThat(cli.run("describe", "--protoset", set.toString())).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("switchboard: describe: --protoset '" + set + "': 'grpc/testing/test.proto'"
        + " imports 'grpc/testing/empty.proto', which is not there (a descriptor set needs protoc's"
        + " --include_imports)\n");
  }

  @Test
  void wellKnownTypesMissingFromTheSetComeFromProtobufJava() throws Exception {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("clock.proto").setPackage("clock").setSyntax("proto3")
        .addDependency("google/protobuf/empty.proto")
        .addDependency("google/protobuf/timestamp.proto")
        .addMessageType(DescriptorProto.newBuilder().setName("Now")
            .addField(FieldDescriptorProto.newBuilder().setName("at").setNumber(1)
                .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                .setTypeName(".google.protobuf.Timestamp")))
        .addService(ServiceDescriptorProto.newBuilder().setName("Clock")
            .addMethod(MethodDescriptorProto.newBuilder().setName("Get")
                .setInputType(".google.protobuf.Empty").setOutputType(".clock.Now")))
        .build();
    Path set = Files.write(dir.resolve("clock.pb"),
        FileDescriptorSet.newBuilder().addFile(file).build().toByteArray());
    assertThat(cli.run("describe", "--protoset", set.toString())).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("clock.Clock (clock.proto)\n"
        + "  rpc Get(google.protobuf.Empty) returns (clock.Now)  unary\n");
  }

  @Test
  void fileThatDoesNotBuildIsOneLineNamingIt() throws Exception {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("broken.proto").setPackage("broken")
        .addService(ServiceDescriptorProto.newBuilder().setName("S")
            .addMethod(MethodDescriptorProto.newBuilder().setName("M")
                .setInputType(".broken.Missing").setOutputType(".broken.Missing")))
        .build();
    Path set = Files.write(dir.resolve("broken.pb"),
        FileDescriptorSet.newBuilder().addFile(file).build().toByteArray());
    assertThat(cli.run("describe", "--protoset", set.toString())).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("switchboard: describe: --protoset '" + set + "': 'broken.proto' is not valid: ")
        .contains("broken.Missing");
  }

  @Test
  void fileThatImportsItselfIsOneLine() throws Exception {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("loop.proto").addDependency("loop.proto").build();
    Path set = Files.write(dir.resolve("loop.pb"),
        FileDescriptorSet.newBuilder().addFile(file).build().toByteArray());
    assertThat(cli.run("describe", "--protoset", set.toString())).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("switchboard: describe: --protoset '" + set
        + "': 'loop.proto' imports itself (a cycle)\n");
  }

  @Test
  void unknownServiceInTheSetNamesTheServicesThere() throws Exception {
    Path set = ReflectionTestServer.writeProtoset(dir.resolve("test.protoset"), true);
    assertThat(cli.run("call", "127.0.0.1:1", "--plaintext", "--protoset", set.toString(), "--method",
        "grpc.testing.Nope/M")).isEqualTo(2);
    assertThat(cli.err()).startsWith("switchboard: call: service 'grpc.testing.Nope' not found by"
        + " --protoset '" + set + "' (it has: grpc.testing.LoadBalancerStatsService, ");
  }
}
