package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.core.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PluginsCommandTest {
  private final PluginLayers noLayers = loadNoLayers();

  private static PluginLayers loadNoLayers() {
    try {
      return PluginLayers.load("");
    } catch (CliException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void tableListsEveryProviderAndMarksTheSelectedOne() {
    PluginRegistry registry = PluginRegistry.newBuilder()
        .addResolverProvider(TestProviders.resolver("dns", 5, true))
        .addResolverProvider(TestProviders.resolver("zk", 7, false))
        .addBalancerProvider(TestProviders.balancer("round_robin"))
        .build();
    String table = new PluginsCommand(registry, noLayers, ImageDefaults.NONE).table();
    // Test providers are on the module path, patched into the CLI module.
    assertThat(table.lines()).containsExactly(
        "KIND      NAME         MODULE               VERSION         PRIORITY  AVAILABLE  ORIGIN   SELECTED",
        "resolver  dns          dev.switchboard.cli  " + version() + "  5         yes        builder  *",
        "resolver  zk           dev.switchboard.cli  " + version() + "  7         no         builder",
        "balancer  round_robin  dev.switchboard.cli  " + version() + "  5         yes        builder  *");
  }

  @Test
  void emptyRegistrySaysSo() {
    PluginRegistry empty = PluginRegistry.newBuilder().build();
    assertThat(new PluginsCommand(empty, noLayers, ImageDefaults.NONE).table())
        .isEqualTo("no resolver or balancer found\n");
  }

  @Test
  void defaultSchemeWithoutProviderFailsTheCheckListingTheSchemes() {
    PluginRegistry registry = PluginRegistry.newBuilder()
        .addResolverProvider(TestProviders.resolver("passthrough", 5, true))
        .addResolverProvider(TestProviders.resolver("file", 5, true))
        .build();
    PluginsCommand command =
        new PluginsCommand(registry, noLayers, new ImageDefaults("dns", ""));
    assertThatThrownBy(() -> command.run(new PrintStream(new ByteArrayOutputStream()), true))
        .isInstanceOf(CliException.class)
        .hasMessage("default scheme 'dns' has no available resolver (schemes: file, passthrough)");
  }

  @Test
  void defaultPolicyWithoutProviderFailsTheCheck() {
    PluginRegistry registry = PluginRegistry.newBuilder().build();
    PluginsCommand command =
        new PluginsCommand(registry, noLayers, new ImageDefaults("", "round_robin"));
    assertThatThrownBy(() -> command.run(new PrintStream(new ByteArrayOutputStream()), true))
        .hasMessage("default policy 'round_robin' has no available balancer (policies: none)");
  }

  @Test
  void unavailableProviderDoesNotServeADefault() {
    PluginRegistry registry = PluginRegistry.newBuilder()
        .addResolverProvider(TestProviders.resolver("dns", 5, false))
        .build();
    PluginsCommand command = new PluginsCommand(registry, noLayers, new ImageDefaults("dns", ""));
    assertThatThrownBy(() -> command.run(new PrintStream(new ByteArrayOutputStream()), true))
        .hasMessageContaining("default scheme 'dns' has no available resolver");
  }

  @Test
  void defaultsWithProvidersPassTheCheckAndArePrinted() throws Exception {
    PluginRegistry registry = PluginRegistry.newBuilder()
        .addResolverProvider(TestProviders.resolver("dns", 5, true))
        .addBalancerProvider(TestProviders.balancer("round_robin"))
        .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new PluginsCommand(registry, noLayers, new ImageDefaults("dns", "round_robin"))
        .run(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .endsWith("default scheme: dns, default policy: round_robin\n");
  }

  private static String version() {
    return PluginsCommandTest.class.getModule().getDescriptor().rawVersion().orElse("-");
  }
}
