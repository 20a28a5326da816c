package dev.switchboard.protoc.internal;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The test .proto files (src/test/protobuf) as protoc compiled them in this build: a descriptor
 * set with imports and source info, as protoc hands them to a plugin; and requests built from it.
 */
final class TestProtos {
  static final Path DIR = Path.of(System.getProperty("switchboard.testProtos", "target/test-protos"));
  static final String GREETER = "switchboard/test/greeter.proto";
  static final String OUTER = "switchboard/test/outer.proto";
  static final String STATUS = "switchboard/test/status.proto";
  static final String NO_SERVICES = "switchboard/test/no_services.proto";
  static final String EDITIONS = "switchboard/test/editions.proto";

  private static final List<FileDescriptorProto> FILES = load();

  private TestProtos() {}

  private static List<FileDescriptorProto> load() {
    try (InputStream in = Files.newInputStream(DIR.resolve("descriptors.pb"))) {
      return FileDescriptorSet.parseFrom(in).getFileList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file of the set (imports first, as protoc orders them). */
  static List<FileDescriptorProto> files() {
    return FILES;
  }

  static FileDescriptorProto file(String name) {
    Map<String, FileDescriptorProto> byName =
        FILES.stream().collect(Collectors.toMap(FileDescriptorProto::getName, Function.identity()));
    FileDescriptorProto file = byName.get(name);
    if (file == null) {
      throw new IllegalArgumentException(name + " not in " + byName.keySet());
    }
    return file;
  }

  /** A request to generate {@code toGenerate}, with every file of the set, and {@code parameter}. */
  static CodeGeneratorRequest request(String parameter, String... toGenerate) {
    return CodeGeneratorRequest.newBuilder()
        .addAllFileToGenerate(List.of(toGenerate))
        .addAllProtoFile(FILES)
        .setParameter(parameter)
        .build();
  }

  /** Generates {@code toGenerate} and returns the files by name; fails on an error. */
  static Map<String, String> generate(String parameter, String... toGenerate) {
    CodeGeneratorResponse response = SwitchboardGenerator.generate(request(parameter, toGenerate));
    if (response.hasError()) {
      throw new AssertionError("generator error: " + response.getError());
    }
    return response.getFileList().stream()
        .collect(Collectors.toMap(CodeGeneratorResponse.File::getName, CodeGeneratorResponse.File::getContent));
  }
}
