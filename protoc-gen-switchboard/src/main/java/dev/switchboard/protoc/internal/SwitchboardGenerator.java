package dev.switchboard.protoc.internal;

import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@code CodeGeneratorRequest} into a {@code CodeGeneratorResponse}: one {@code
 * Switchboard<Service>Grpc.java} per service of each file to generate, in the file's Java package
 * (or the {@code package} option's). A file without services yields nothing. Anything wrong (an
 * unknown option, a message type no file of the request defines, two RPCs whose Java names
 * collide) yields a response with only an {@code error}, one line naming the culprit.
 *
 * <p>Thread-safe: stateless.
 */
final class SwitchboardGenerator {

  /** The class-name prefix that sets our classes apart from grpc-java's {@code <Service>Grpc}. */
  static final String CLASS_PREFIX = "Switchboard";

  private SwitchboardGenerator() {}

  /** Returns the response to {@code request}. */
  static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
        .setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE
            | CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
        // Edition 2024 changes protoc's Java class names (nest_in_file_class); up to 2023 they are
        // the ones JavaNames knows.
        .setMinimumEdition(Edition.EDITION_PROTO2_VALUE)
        .setMaximumEdition(Edition.EDITION_2023_VALUE);
    try {
      Optional<String> packageOverride = packageOption(request.getParameter());
      JavaNames names = JavaNames.of(request.getProtoFileList());
      Map<String, FileDescriptorProto> files = new HashMap<>();
      for (FileDescriptorProto file : request.getProtoFileList()) {
        files.put(file.getName(), file);
      }
      Set<String> written = new HashSet<>();
      for (String name : request.getFileToGenerateList()) {
        FileDescriptorProto file = files.get(name);
        if (file == null) {
          throw new GenerationException(name + ": in file_to_generate but not in proto_file");
        }
        String javaPackage = packageOverride.orElse(JavaNames.javaPackage(file));
        for (int i = 0; i < file.getServiceCount(); i++) {
          ServiceWriter writer = new ServiceWriter(file, i, javaPackage, names);
          String path = (javaPackage.isEmpty() ? "" : javaPackage.replace('.', '/') + "/")
              + writer.className() + ".java";
          if (!written.add(path)) {
            throw new GenerationException(name + ": service " + file.getService(i).getName()
                + " would write " + path + " a second time (two services of that name map to one package)");
          }
          response.addFile(CodeGeneratorResponse.File.newBuilder().setName(path).setContent(writer.write()));
        }
      }
    } catch (GenerationException e) {
      return response.clearFile().setError(e.getMessage()).build();
    }
    return response.build();
  }

  /** Parses the plugin parameter: comma-separated {@code key=value} options. */
  private static Optional<String> packageOption(String parameter) {
    String javaPackage = null;
    for (String option : parameter.split(",")) {
      String trimmed = option.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String key = eq < 0 ? trimmed : trimmed.substring(0, eq).trim();
      String value = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
      if (!key.equals("package")) {
        throw new GenerationException("unknown option \"" + trimmed + "\" (expected: package=<java package>)");
      }
      if (!value.matches("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
          + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*")) {
        throw new GenerationException("option package: \"" + value + "\" (expected: a Java package name, like com.example.api)");
      }
      javaPackage = value;
    }
    return Optional.ofNullable(javaPackage);
  }

  /** A problem with the input, reported in the response's {@code error}. */
  static final class GenerationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GenerationException(String message) {
      super(message, null, false, false);
    }
  }
}
