package dev.switchboard.protoc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** protoc's Java naming rules, checked against the names protoc's Java output really has. */
class JavaNamesTest {

  @Test
  void fileNamesBecomeCamelCaseOuterClasses() {
    assertThat(JavaNames.underscoresToCamelCase("foo_bar", true)).isEqualTo("FooBar");
    assertThat(JavaNames.underscoresToCamelCase("foo-bar.v2beta", true)).isEqualTo("FooBarV2Beta");
    assertThat(JavaNames.underscoresToCamelCase("http2_frame", true)).isEqualTo("Http2Frame");
    assertThat(JavaNames.underscoresToCamelCase("FOO_bar", true)).isEqualTo("FOOBar");
    assertThat(JavaNames.outerClassName(FileDescriptorProto.newBuilder().setName("a/b/common_types.proto").build()))
        .isEqualTo("CommonTypes");
    assertThat(JavaNames.outerClassName(FileDescriptorProto.newBuilder().setName("x.protodevel").build()))
        .isEqualTo("X");
  }

  @Test
  void anExplicitOuterClassNameWins() {
    assertThat(JavaNames.outerClassName(FileDescriptorProto.newBuilder().setName("status.proto")
        .setOptions(FileOptions.newBuilder().setJavaOuterClassname("Statuses"))
        .addMessageType(DescriptorProto.newBuilder().setName("Status"))
        .build())).isEqualTo("Statuses");
  }

  @Test
  void anyTypeOrServiceNamedAsTheOuterClassGetsOuterClassAppended() {
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder().setName("thing.proto");

    assertThat(JavaNames.outerClassName(file.build())).isEqualTo("Thing");
    assertThat(JavaNames.outerClassName(file.clone().addEnumType(EnumDescriptorProto.newBuilder().setName("Thing")).build()))
        .isEqualTo("ThingOuterClass");
    assertThat(JavaNames.outerClassName(file.clone().addService(ServiceDescriptorProto.newBuilder().setName("Thing")).build()))
        .isEqualTo("ThingOuterClass");
    assertThat(JavaNames.outerClassName(file.clone().addMessageType(DescriptorProto.newBuilder().setName("Box")
        .addNestedType(DescriptorProto.newBuilder().setName("Thing"))).build()))
        .isEqualTo("ThingOuterClass");
    assertThat(JavaNames.outerClassName(file.clone().addMessageType(DescriptorProto.newBuilder().setName("Box")
        .addEnumType(EnumDescriptorProto.newBuilder().setName("Thing"))).build()))
        .isEqualTo("ThingOuterClass");
  }

  @Test
  void messageClassesFollowTheirFilesOptions() {
    JavaNames names = JavaNames.of(TestProtos.files());

    assertThat(names.messageClass(".switchboard.test.greeter.HelloRequest")).contains("com.example.greeter.HelloRequest");
    assertThat(names.messageClass(".switchboard.test.outer.Envelope.Inner.Deeper"))
        .contains("com.example.outer.OuterProtos.Envelope.Inner.Deeper");
    assertThat(names.messageClass(".switchboard.test.status.Status"))
        .contains("switchboard.test.status.StatusOuterClass.Status");
    assertThat(names.messageClass(".google.protobuf.Empty")).contains("com.google.protobuf.Empty");
    assertThat(names.messageClass(".switchboard.test.editions.Ping")).contains("com.example.editions.Editions.Ping");
    assertThat(names.messageClass(".switchboard.test.greeter.Nope")).isEmpty();
  }

  @Test
  void theNamesAreThoseOfProtocsJavaOutput() {
    // protoc wrote these files for the test protos in this build (target/test-protos/java).
    for (String javaFile : List.of("com/example/greeter/HelloRequest.java", "com/example/common/CommonTypes.java",
        "com/example/outer/OuterProtos.java", "switchboard/test/status/StatusOuterClass.java",
        "com/example/editions/Editions.java")) {
      assertThat(TestProtos.DIR.resolve("java").resolve(javaFile)).exists();
    }
  }

  @Test
  void methodNamesAreGrpcJavasWithKeywordsEscaped() {
    assertThat(JavaNames.methodName("SayHello")).isEqualTo("sayHello");
    assertThat(JavaNames.methodName("say_hello_stream")).isEqualTo("sayHelloStream");
    assertThat(JavaNames.methodName("Import")).isEqualTo("import_");
    assertThat(JavaNames.methodName("Switch")).isEqualTo("switch_");
    assertThat(JavaNames.methodName("New")).isEqualTo("new_");
    assertThat(JavaNames.methodName("Yield")).isEqualTo("yield_");
    assertThat(JavaNames.methodName("Imports")).isEqualTo("imports");
    assertThat(JavaNames.descriptorGetterName("say_hello_stream")).isEqualTo("getSayHelloStreamMethod");
    assertThat(JavaNames.descriptorGetterName("Import")).isEqualTo("getImportMethod");
    assertThat(JavaNames.descriptorFieldName("SayHello")).isEqualTo("METHOD_SAY_HELLO");
    assertThat(JavaNames.descriptorFieldName("say_hello_stream")).isEqualTo("METHOD_SAY_HELLO_STREAM");
  }
}
