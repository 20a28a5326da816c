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
 * DESIGN.md's "jlink-able as published", for the resolvers whose dependencies are not modules (zk,
 * consul): a small application module that {@code requires} the resolver and {@code
 * dev.switchboard.channel.core} is compiled and linked with the JDK's own {@code javac} and {@code
 * jlink}, from the published jars alone (the distribution's {@code target/modules}, which the build
 * copies unchanged from the repository: no module descriptor is written for any third-party jar),
 * and the linked image's {@code java} runs it against a real registry (ZooKeeper, a Consul agent).
 * jlink takes no automatic module and the boot layer takes no split package, so this passes only if
 * the plugin's run-time closure has neither.
 */
class PlainJlinkIT {
  private static final Path MODULES = Path.of(System.getProperty("switchboard.modules", "target/modules"));
  private static final Path JDK = Path.of(System.getProperty("java.home"));
  /**
   * The application's {@code module-info.java}: its module ({@code %1$s}) requires core and the
   * resolver ({@code %2$s}).
   */
  private static final String MODULE_INFO = """
      module %1$s {
        requires dev.switchboard.channel.core;
        requires %2$s;
      }
      """;

  /**
   * The application's main class, in package {@code %1$s}: it resolves the target given as its
   * argument through the resolver, with one of the resolver's options ({@code %2$s}, the option
   * class, and {@code %3$s}, the option's constant and its value: the option types the plugin
   * exports are usable), makes one health check (bytes in, bytes out: no generated code), and
   * prints the response and the boot layer's modules that are not the JDK's.
   */
  private static final String MAIN = """
      package %1$s;

      import dev.switchboard.channel.api.CallOptions;
      import dev.switchboard.channel.api.ManagedChannel;
      import dev.switchboard.channel.api.MethodDescriptor;
      import dev.switchboard.channel.api.stub.ClientCalls;
      import dev.switchboard.channel.core.ChannelBuilder;
      import %2$s;
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
              .resolverOption(%3$s)
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
    String app = "com.example.zkapp";
    Path image = link(app, "dev.switchboard.resolver.zookeeper",
        "dev.switchboard.resolver.zookeeper.ZookeeperResolverOptions",
        "ZookeeperResolverOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(10)");

    try (ZookeeperRegistry registry = ZookeeperRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("jlink-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("jlink-2").build().start()) {
      registry.register("echo", one, Map.of());
      registry.register("echo", two, Map.of());

      Run run = runApp(image, app, registry.target("echo"));
      assertThat(modulesOf(run))
          .contains(app, "dev.switchboard.resolver.zookeeper", "dev.switchboard.channel.core", "org.slf4j")
          .doesNotContain("dev.switchboard.cli", "dev.switchboard.resolver.dns");
      assertOneHealthCheckServed(one, two);
    }
  }

  /**
   * The consul resolver carries consul-api and Apache HttpClient relocated inside; Gson is the
   * real module {@code com.google.gson}, whose static requires (error_prone_annotations, java.sql)
   * jlink leaves out.
   */
  @Test
  void appRequiringTheConsulResolverLinksWithPlainJlinkFromThePublishedJarsAndCallsThroughConsul()
      throws Exception {
    String app = "com.example.consulapp";
    Path image = link(app, "dev.switchboard.resolver.consul",
        "dev.switchboard.resolver.consul.ConsulResolverOptions",
        "ConsulResolverOptions.WAIT, Duration.ofSeconds(30)");

    try (ConsulRegistry consul = ConsulRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("jlink-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("jlink-2").build().start()) {
      consul.register("echo", "echo-1", one.port(), "");
      consul.register("echo", "echo-2", two.port(), "");

      Run run = runApp(image, app, consul.target("echo"));
      assertThat(modulesOf(run))
          .contains(app, "dev.switchboard.resolver.consul", "dev.switchboard.channel.core", "com.google.gson")
          .doesNotContain("dev.switchboard.cli", "dev.switchboard.resolver.dns",
              "dev.switchboard.resolver.zookeeper", "org.slf4j", "com.google.errorprone.annotations");
      assertOneHealthCheckServed(one, two);
    }
  }

  /**
   * Writes the application {@code app} (which requires {@code resolverModule} and uses its option
   * {@code option} of {@code optionsClass}), compiles it with javac and links it with plain jlink
   * from the published jars; returns the image.
   */
  private Path link(String app, String resolverModule, String optionsClass, String option) throws Exception {
    // The published jars, as they are: every one a named module with its own descriptor.
    List<String> automatic = ModuleFinder.of(MODULES).findAll().stream()
        .map(ModuleReference::descriptor).filter(d -> d.isAutomatic()).map(d -> d.name())
        .collect(Collectors.toList());
    assertThat(automatic).as("automatic modules in " + MODULES).isEmpty();

    Path sources = dir.resolve(app).resolve("src");
    Path classes = dir.resolve(app).resolve("classes");
    Path main = sources.resolve(app.replace('.', '/')).resolve("Main.java");
    Files.createDirectories(main.getParent());
    Files.writeString(sources.resolve("module-info.java"), MODULE_INFO.formatted(app, resolverModule));
    Files.writeString(main, MAIN.formatted(app, optionsClass, option));
    Run javac = run(tool("javac"), "--module-path", MODULES.toString(), "-d", classes.toString(),
        sources.resolve("module-info.java").toString(), main.toString());
    assertThat(javac.exitCode()).as(javac.out() + javac.err()).isZero();

    Path image = dir.resolve(app).resolve("image");
    Run jlink = run(tool("jlink"), "--module-path", MODULES + java.io.File.pathSeparator + classes,
        "--add-modules", app, "--output", image.toString(),
        "--strip-debug", "--no-header-files", "--no-man-pages");
    assertThat(jlink.exitCode()).as(jlink.out() + jlink.err()).isZero();
    return image;
  }

  /** Runs {@code app} in its linked {@code image} against {@code target}: it must end with 0. */
  private Run runApp(Path image, String app, String target) throws Exception {
    Run run = run(image.resolve("bin/java").toString(), "-m", app + "/" + app + ".Main", target);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    // grpc.health.v1.HealthCheckResponse{status: SERVING}: field 1, varint 1.
    assertThat(run.out()).contains("health check response: 0801\n");
    return run;
  }

  /** The boot layer's modules that are not the JDK's, as the application printed them. */
  private static String[] modulesOf(Run run) {
    return run.out().lines().filter(l -> l.startsWith("modules: ")).findFirst().orElseThrow()
        .substring("modules: ".length()).split(" ");
  }

  private static void assertOneHealthCheckServed(TestBackend one, TestBackend two) {
    assertThat(one.callsServed(TestMethods.HEALTH_CHECK.fullMethodName())
        + two.callsServed(TestMethods.HEALTH_CHECK.fullMethodName())).isEqualTo(1);
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
