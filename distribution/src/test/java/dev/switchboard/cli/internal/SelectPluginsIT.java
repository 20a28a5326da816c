package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build step that picks the image's plugins ({@code src/build/SelectPlugins.java}), run in a
 * JVM of its own as the build runs it, over the module folder the {@code package} phase filled.
 * The program is compiled once for the class (the build runs the source file, which compiles it on
 * every run: about 2 s each here).
 */
class SelectPluginsIT {
  private static final Path MODULES = Path.of(System.getProperty("switchboard.modules", "target/modules"));
  private static final Path PROGRAM =
      Path.of(System.getProperty("switchboard.selectPlugins", "src/build/SelectPlugins.java"));

  @TempDir static Path compiled;
  @TempDir Path dir;

  @BeforeAll
  static void compileTheProgram() throws Exception {
    Process javac = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
            "-d", compiled.toString(), PROGRAM.toString()))
        .redirectErrorStream(true)
        .start();
    String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!javac.waitFor(60, TimeUnit.SECONDS)) {
      javac.destroyForcibly();
      throw new AssertionError("javac " + PROGRAM + " did not end within 60 s");
    }
    assertThat(javac.exitValue()).as("javac " + PROGRAM + ": " + output).isZero();
  }

  /** The outcome of one run. */
  private record Run(int exitCode, String out, String err) {}

  @Test
  void noPluginGivesTheCliAloneAsRoot() throws Exception {
    Run run = select(MODULES, "");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("dev.switchboard.cli");
  }

  @Test
  void pluginWithoutModuleFailsListingTheAvailableOnes() throws Exception {
    Run run = select(MODULES, "resolver-nope");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("switchboard.plugins: no plugin module 'resolver-nope' (available: ")
        .contains("a new plugin must be a runtime dependency of distribution");
  }

  @Test
  void nameOutsideTheRuleFails() throws Exception {
    Run run = select(MODULES, "roundrobin");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("switchboard.plugins: 'roundrobin' is not a plugin name"
        + " (expected: resolver-<name> or balancer-<name>;");
  }

  @Test
  void pluginThatNeedsSlf4jGetsTheFoldersSlf4jProviderAsARoot() throws Exception {
    Run run = select(MODULES, "resolver-zookeeper");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("dev.switchboard.cli,dev.switchboard.resolver.zookeeper,org.slf4j.nop");
  }

  @Test
  void pluginsThatDoNotNeedSlf4jGetNoSlf4jProvider() throws Exception {
    Run run = select(MODULES, "resolver-dns,balancer-roundrobin");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo("dev.switchboard.cli,dev.switchboard.resolver.dns,dev.switchboard.balancer.roundrobin");
  }

  /** The consul resolver logs through java.util.logging (its relocated commons-logging too). */
  @Test
  void consulResolverNeedsNoSlf4jProvider() throws Exception {
    Run run = select(MODULES, "resolver-consul");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("dev.switchboard.cli,dev.switchboard.resolver.consul");
  }

  @Test
  void pluginThatNeedsSlf4jFailsWhenTheFolderHoldsNoSlf4jProvider() throws Exception {
    try (Stream<Path> jars = Files.list(MODULES)) {
      for (Path jar : jars.filter(j -> !j.getFileName().toString().startsWith("slf4j-nop-")).toList()) {
        Files.copy(jar, dir.resolve(jar.getFileName()));
      }
    }
    Run run = select(dir, "resolver-zookeeper");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("switchboard.plugins: the chosen plugins need org.slf4j, and the module"
        + " folder holds no SLF4J provider (expected: exactly one, such as slf4j-nop, as a runtime"
        + " dependency of distribution)");
  }

  @Test
  void jarWithoutModuleDescriptorFailsNamingIt() throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (JarOutputStream jar =
        new JarOutputStream(Files.newOutputStream(dir.resolve("consul-api-1.4.5.jar")), manifest)) {
      jar.flush();
    }
    Run run = select(dir, "");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("jlink takes no automatic module, and these jars have no module"
        + " descriptor: consul-api-1.4.5.jar (consul.api)");
  }

  private Run select(Path modules, String plugins) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", compiled.toString(), "SelectPlugins", modules.toString(), plugins))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("SelectPlugins did not end within 60 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
