package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.resolver.ResolverProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceDeclarationsTest {

  private static final String RESOLVER_SERVICE = ResolverProvider.class.getName();
  private static final String MANUAL = ManualResolverProvider.class.getName();

  @TempDir
  Path temp;

  private static Path kitClasses() {
    return ServiceDeclarations.of(ManualResolverProvider.class).location();
  }

  private Path moduleDirWithServices(Map<String, String> files) throws IOException {
    Path dir = temp.resolve("classes");
    Files.createDirectories(dir.resolve("META-INF/services"));
    Files.copy(kitClasses().resolve("module-info.class"), dir.resolve("module-info.class"));
    for (Map.Entry<String, String> e : files.entrySet()) {
      Files.writeString(dir.resolve("META-INF/services").resolve(e.getKey()), e.getValue());
    }
    return dir;
  }

  @Test
  void kitModuleDeclaresTheManualProviderInBothPlaces() {
    ServiceDeclarations declarations = ServiceDeclarations.of(ManualResolverProvider.class);

    assertThat(declarations.moduleName()).isEqualTo("dev.switchboard.channel.testing");
    assertThat(declarations.moduleProvides()).containsEntry(RESOLVER_SERVICE, Set.of(MANUAL));
    assertThat(declarations.serviceFiles()).containsEntry(RESOLVER_SERVICE, Set.of(MANUAL));
    assertThat(declarations.mismatches()).isEmpty();
    declarations.assertAgree();
    declarations.assertDeclares(ResolverProvider.class, ManualResolverProvider.class);
  }

  @Test
  void commentsAndBlankLinesInServiceFilesAreIgnored() throws IOException {
    Path dir = moduleDirWithServices(Map.of(RESOLVER_SERVICE, "# the manual scheme\n\n  " + MANUAL + "  # comment\r\n"));

    ServiceDeclarations.read(dir).assertAgree();
  }

  @Test
  void missingServicesFileIsReportedByName() throws IOException {
    Path dir = moduleDirWithServices(Map.of());

    assertThatThrownBy(() -> ServiceDeclarations.read(dir).assertAgree())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("module-info provides " + RESOLVER_SERVICE + " with " + MANUAL)
        .hasMessageContaining("META-INF/services/" + RESOLVER_SERVICE + " is missing");
  }

  @Test
  void providerListedOnlyInServicesFileIsReported() throws IOException {
    Path dir = moduleDirWithServices(Map.of(
        RESOLVER_SERVICE, MANUAL + "\ncom.example.Extra\n",
        "com.example.OtherService", "com.example.OtherImpl\n"));

    ServiceDeclarations declarations = ServiceDeclarations.read(dir);

    assertThat(declarations.mismatches()).containsExactlyInAnyOrder(
        "META-INF/services/" + RESOLVER_SERVICE + " lists com.example.Extra, but module-info has no 'provides "
            + RESOLVER_SERVICE + " with com.example.Extra'",
        "META-INF/services/com.example.OtherService lists com.example.OtherImpl, but module-info has no "
            + "'provides com.example.OtherService with com.example.OtherImpl'");
    assertThatThrownBy(declarations::assertAgree)
        .hasMessageContaining("dev.switchboard.channel.testing")
        .hasMessageContaining("com.example.Extra")
        .hasMessageContaining("com.example.OtherImpl");
  }

  @Test
  void jarIsReadLikeADirectory() throws IOException {
    Path jar = temp.resolve("kit.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("module-info.class"));
      out.write(Files.readAllBytes(kitClasses().resolve("module-info.class")));
      out.closeEntry();
      out.putNextEntry(new JarEntry("META-INF/services/"));
      out.closeEntry();
      out.putNextEntry(new JarEntry("META-INF/services/" + RESOLVER_SERVICE));
      out.write("com.example.Wrong\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }

    ServiceDeclarations declarations = ServiceDeclarations.read(jar);

    assertThat(declarations.serviceFiles()).containsEntry(RESOLVER_SERVICE, Set.of("com.example.Wrong"));
    assertThatThrownBy(() -> declarations.assertDeclares(ResolverProvider.class, ManualResolverProvider.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not list " + MANUAL)
        .hasMessageContaining("com.example.Wrong");
  }

  @Test
  void locationWithoutModuleInfoIsReported() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("plain"));
    try (OutputStream out = Files.newOutputStream(dir.resolve("A.class"))) {
      out.write(new byte[] {1});
    }

    assertThatThrownBy(() -> ServiceDeclarations.read(dir))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no module-info.class in " + dir);
  }
}
