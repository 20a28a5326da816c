package dev.switchboard.protoc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated classes compile on the module path, in an application module that reads only the
 * API, the protobuf marshallers and protobuf, together with protoc's Java messages for the same
 * files and code that uses every stub style: without an error, and without a lint or doclint
 * warning in a generated file.
 */
class GeneratedCodeCompilesTest {

  private static final String MODULE_INFO = """
      module com.example.app {
        requires dev.switchboard.channel.api;
        requires dev.switchboard.channel.protobuf;
        requires com.google.protobuf;
        exports com.example.greeter to com.google.protobuf;
        exports com.example.common to com.google.protobuf;
        exports com.example.outer to com.google.protobuf;
        exports switchboard.test.status to com.google.protobuf;
        exports com.example.editions to com.google.protobuf;
        exports com.example.app;
      }
      """;

  /** Uses each stub kind as an application would; compiles only if the types are the expected ones. */
  private static final String USE = """
      package com.example.app;

      import com.example.greeter.HelloReply;
      import com.example.greeter.HelloRequest;
      import com.example.greeter.SwitchboardGreeterGrpc;
      import com.example.greeter.SwitchboardGreeterGrpc.GreeterBlockingStub;
      import dev.switchboard.channel.api.Channel;
      import dev.switchboard.channel.api.MethodDescriptor;
      import dev.switchboard.channel.api.stub.ClientCallStreamObserver;
      import dev.switchboard.channel.api.stub.StreamObserver;
      import java.time.Duration;
      import java.util.Iterator;
      import java.util.concurrent.CompletableFuture;
      import switchboard.test.status.StatusOuterClass;
      import switchboard.test.status.SwitchboardStatusServiceGrpc;

      /** Calls through every stub style. */
      public final class Use {
        private Use() {}

        /**
         * Calls.
         *
         * @param channel the channel
         * @param observer the response observer
         * @return the reply
         */
        public static HelloReply use(Channel channel, StreamObserver<HelloReply> observer) {
          HelloRequest request = HelloRequest.newBuilder().setName("x").build();
          GreeterBlockingStub blocking = SwitchboardGreeterGrpc.newBlockingStub(channel)
              .withDeadlineAfter(Duration.ofSeconds(1)).withWaitForReady().withInterceptors();
          Iterator<HelloReply> replies = blocking.sayHelloStream(request);
          CompletableFuture<HelloReply> future = SwitchboardGreeterGrpc.newFutureStub(channel).sayHello(request);
          ClientCallStreamObserver<HelloRequest> chat = SwitchboardGreeterGrpc.newStub(channel).chat(observer);
          chat.onNext(request);
          SwitchboardGreeterGrpc.newStub(channel).sayHello(request, observer);
          MethodDescriptor<HelloRequest, HelloReply> method = SwitchboardGreeterGrpc.getCollectNamesMethod();
          StatusOuterClass.Status status = SwitchboardStatusServiceGrpc.newBlockingStub(channel)
              .get(StatusOuterClass.Status.getDefaultInstance());
          return replies.hasNext() ? replies.next() : future.join();
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void generatedStubsCompileOnTheModulePathWithoutWarnings() throws Exception {
    Path sources = dir.resolve("src");
    List<Path> files = new ArrayList<>();
    Map<String, String> generated =
        TestProtos.generate("", TestProtos.GREETER, TestProtos.OUTER, TestProtos.STATUS, TestProtos.EDITIONS);
    for (Map.Entry<String, String> file : generated.entrySet()) {
      files.add(write(sources.resolve(file.getKey()), file.getValue()));
    }
    try (Stream<Path> messages = Files.walk(TestProtos.DIR.resolve("java"))) {
      messages.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
    }
    files.add(write(sources.resolve("module-info.java"), MODULE_INFO));
    files.add(write(sources.resolve("com/example/app/Use.java"), USE));

    String modulePath = Stream.of(dev.switchboard.channel.api.Channel.class,
            dev.switchboard.channel.protobuf.ProtoMarshallers.class, com.google.protobuf.Message.class)
        .map(GeneratedCodeCompilesTest::jarOf)
        .collect(Collectors.joining(File.pathSeparator));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean compiled;
    try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      compiled = javac.getTask(null, fileManager, diagnostics,
          List.of("--release", "17", "--module-path", modulePath, "-d", dir.resolve("classes").toString(),
              "-Xlint:all", "-Xdoclint:all/protected", "-Xmaxwarns", "10000"),
          null, fileManager.getJavaFileObjectsFromPaths(files)).call();
    }

    List<String> errors = diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.toString())
        .collect(Collectors.toList());
    List<String> inGenerated = diagnostics.getDiagnostics().stream()
        .filter(d -> d.getSource() != null && d.getSource().getName().contains("Switchboard"))
        .map(d -> d.toString())
        .collect(Collectors.toList());
    assertThat(errors).as("errors").isEmpty();
    assertThat(compiled).isTrue();
    assertThat(inGenerated).as("diagnostics in generated files").isEmpty();
    assertThat(dir.resolve("classes/com/example/greeter/SwitchboardGreeterGrpc$GreeterBlockingStub.class")).exists();
    assertThat(dir.resolve("classes/com/example/outer/SwitchboardLegacyGrpc.class")).exists();
    assertThat(dir.resolve("classes/com/example/editions/SwitchboardPingerGrpc.class")).exists();
  }

  private static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
