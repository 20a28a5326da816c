package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md's "jlink-able as published", for the zk resolver: a small application module that
 * {@code requires dev.switchboard.resolver.zookeeper} and {@code dev.switchboard.channel.core} is
 * compiled and linked with the JDK's own {@code javac} and {@code jlink}, from the published jars
 * alone (the distribution's {@code target/modules}, which the build copies unchanged from the
 * repository: no module descriptor is written for any third-party jar), and the linked image's
 * {@code java} runs it against a real ZooKeeper. jlink takes no automatic module and the boot layer
 * takes no split package, so this passes only if the plugin's run-time closure has neither.
 */
class PlainJlinkIT {
  private static final Path MODULES = Path.of(System.getProperty("switchboard.modules", "target/modules"));
  private static final Path JDK = Path.of(System.getProperty("java.home"));
  private static final String APP = "com.example.zkapp";

  private static final String MODULE_INFO = """
      module com.example.zkapp {
        requires dev.switchboard.channel.core;
        requires dev.switchboard.resolver.zookeeper;
      }
      """;

  /**
   * Resolves the target given as its argument through zk:, makes one health check (bytes in, bytes
   * out: no generated code), and prints the response and the boot layer's modules that are not
   * the JDK's.
   */
  private static final String MAIN = """
      package com.example.zkapp;

      import dev.switchboard.channel.api.CallOptions;
      import dev.switchboard.channel.api.ManagedChannel;
      import dev.switchboard.channel.api.MethodDescriptor;
      import dev.switchboard.channel.api.stub.ClientCalls;
      import dev.switchboard.channel.core.ChannelBuilder;
      import dev.switchboard.resolver.zookeeper.ZookeeperResolverOptions;
      import java.io.ByteArrayInputStream;
      import java.io.IOException;
      import java.io.InputStream;
      import java.io.UncheckedIOException;
      import java.time.Duration;
      import java.util.HexFormat;
      import java.util.stream.Collectors;

      public final class Main {
        private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };

        public static void main(String[] args) {
          MethodDescriptor<byte[], byte[]> check = MethodDescriptor.newBuilder(BYTES, BYTES)
              .type(MethodDescriptor.MethodType.UNARY)
              .fullMethodName("grpc.health.v1.Health/Check")
              .build();
          try (ManagedChannel channel = ChannelBuilder.forTarget(args[0]).usePlaintext()
              .resolverOption(ZookeeperResolverOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(10))
              .build()) {
            byte[] response = ClientCalls.blockingUnaryCall(channel, check,
                CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(20)), new byte[0]);
            System.out.println("health check response: " + HexFormat.of().formatHex(response));
          }
          System.out.println("modules: " + ModuleLayer.boot().modules().stream()
              .map(Module::getName)
              .filter(n -> !n.startsWith("java.") && !n.startsWith("jdk."))
              .sorted()
              .collect(Collectors.joining(" ")));
        }
      }
      """;

  @TempDir Path dir;

  /** The outcome of one process. */
  private record Run(int exitCode, String out, String err) {}

  @Test
  void appRequiringTheZookeeperResolverLinksWithPlainJlinkFromThePublishedJarsAndCallsThroughZk()
      throws Exception {
    // The published jars, as they are: every one a named module with its own descriptor.
    List<String> automatic = ModuleFinder.of(MODULES).findAll().stream()
        .map(ModuleReference::descriptor).filter(d -> d.isAutomatic()).map(d -> d.name())
        .collect(Collectors.toList());
    assertThat(automatic).as("automatic modules in " + MODULES).isEmpty();

    Path sources = dir.resolve("src");
    Path classes = dir.resolve("classes").resolve(APP);
    Files.createDirectories(sources.resolve("com/example/zkapp"));
    Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
    Files.writeString(sources.resolve("com/example/zkapp/Main.java"), MAIN);
    Run javac = run(tool("javac"), "--module-path", MODULES.toString(), "-d", classes.toString(),
        sources.resolve("module-info.java").toString(), sources.resolve("com/example/zkapp/Main.java").toString());
    assertThat(javac.exitCode()).as(javac.out() + javac.err()).isZero();

    Path image = dir.resolve("image");
    Run jlink = run(tool("jlink"), "--module-path", MODULES + java.io.File.pathSeparator + classes,
        "--add-modules", APP, "--output", image.toString(),
        "--strip-debug", "--no-header-files", "--no-man-pages");
    assertThat(jlink.exitCode()).as(jlink.out() + jlink.err()).isZero();

    try (ZookeeperRegistry registry = ZookeeperRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("jlink-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("jlink-2").build().start()) {
      registry.register("echo", one, Map.of());
      registry.register("echo", two, Map.of());

      Run app = run(image.resolve("bin/java").toString(), "-m", APP + "/" + APP + ".Main",
          registry.target("echo"));
      assertThat(app.exitCode()).as(app.out() + app.err()).isZero();
      // grpc.health.v1.HealthCheckResponse{status: SERVING}: field 1, varint 1.
      assertThat(app.out()).contains("health check response: 0801\n");
      assertThat(app.out().lines().filter(l -> l.startsWith("modules: ")).findFirst().orElseThrow()
              .substring("modules: ".length()).split(" "))
          .contains(APP, "dev.switchboard.resolver.zookeeper", "dev.switchboard.channel.core", "org.slf4j")
          .doesNotContain("dev.switchboard.cli", "dev.switchboard.resolver.dns");
      assertThat(one.callsServed(TestMethods.HEALTH_CHECK.fullMethodName())
          + two.callsServed(TestMethods.HEALTH_CHECK.fullMethodName())).isEqualTo(1);
    }
  }

  private static String tool(String name) {
    return JDK.resolve("bin").resolve(name).toString();
  }

  /** Runs a process, with no CLASSPATH and no JDK_JAVA_OPTIONS, for at most 120 s. */
  private Run run(String... command) throws Exception {
    Path out = Files.createTempFile(dir, "run", ".out");
    Path err = Files.createTempFile(dir, "run", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("CLASSPATH");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not end within 120 s");
    }
    return new Run(p.exitValue(), read(out), read(err));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
