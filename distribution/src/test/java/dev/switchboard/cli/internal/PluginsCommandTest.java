package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.core.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
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
    // Cells are separated by two spaces or more, whatever the column widths.
    List<String> lines = new PluginsCommand(registry, noLayers, ImageDefaults.NONE).table().lines()
        .map(l -> l.replaceAll(" {2,}", "|"))
        .collect(Collectors.toList());
    assertThat(lines.get(0)).isEqualTo("KIND|NAME|MODULE|VERSION|PRIORITY|AVAILABLE|ORIGIN|SELECTED");
    // Test providers are on the module path, patched into the CLI module; core's built-ins too.
    String zk = "resolver|zk|dev.switchboard.cli|" + version() + "|7|no|builder";
    String rr = "balancer|round_robin|dev.switchboard.cli|" + version() + "|5|yes|builder|*";
    assertThat(lines).contains(
        "resolver|dns|dev.switchboard.cli|" + version() + "|5|yes|builder|*", zk, rr);
    assertThat(lines).anySatisfy(l -> assertThat(l)
        .startsWith("resolver|passthrough|dev.switchboard.channel.core|").contains("|boot layer|*"));
    assertThat(lines.indexOf(rr)).as("resolvers first").isGreaterThan(lines.indexOf(zk));
  }

  @Test
  void defaultSchemeWithoutProviderFailsTheCheckListingTheSchemes() {
    PluginRegistry registry = PluginRegistry.newBuilder()
        .addResolverProvider(TestProviders.resolver("passthrough", 5, true))
        .addResolverProvider(TestProviders.resolver("file", 5, true))
        .build();
    PluginsCommand command =
        new PluginsCommand(registry, noLayers, new ImageDefaults("etcd", ""));
    // With the resolvers the registry finds: the test's paths hold resolver-consul, resolver-dns and
    // resolver-zookeeper.
    assertThatThrownBy(() -> command.run(new PrintStream(new ByteArrayOutputStream()), true))
        .isInstanceOf(CliException.class)
        .hasMessage("default scheme 'etcd' has no available resolver (schemes: consul, dns, file,"
            + " passthrough, zk)");
  }

  @Test
  void defaultPolicyWithoutProviderFailsTheCheck() {
    PluginRegistry registry = PluginRegistry.newBuilder().build();
    PluginsCommand command =
        new PluginsCommand(registry, noLayers, new ImageDefaults("", "least_request"));
    // balancer-grpclb and balancer-roundrobin are on the test's module path, in the boot layer.
    assertThatThrownBy(() -> command.run(new PrintStream(new ByteArrayOutputStream()), true))
        .hasMessage("default policy 'least_request' has no available balancer (policies: grpclb,"
            + " pick_first, round_robin)");
  }

  @Test
  void unavailableProviderDoesNotServeADefault() {
    PluginRegistry registry = PluginRegistry.newBuilder()
        .addResolverProvider(TestProviders.resolver("etcd", 5, false))
        .build();
    PluginsCommand command = new PluginsCommand(registry, noLayers, new ImageDefaults("etcd", ""));
    assertThatThrownBy(() -> command.run(new PrintStream(new ByteArrayOutputStream()), true))
        .hasMessageContaining("default scheme 'etcd' has no available resolver");
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
