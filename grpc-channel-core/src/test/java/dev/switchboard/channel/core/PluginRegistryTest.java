package dev.switchboard.channel.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

  private record TestResolverProvider(String scheme, int priority, boolean isAvailable)
      implements ResolverProvider {
    @Override
    public Resolver newResolver(Target target, dev.switchboard.channel.api.resolver.ClientConn clientConn,
        ResolverArgs args) {
      throw new UnsupportedOperationException("not used by the registry");
    }
  }

  private record TestBalancerProvider(String policyName, int priority) implements BalancerProvider<Object> {
    @Override
    public dev.switchboard.channel.api.ConfigOrError<Object> parseConfig(java.util.Map<String, ?> raw,
        dev.switchboard.channel.api.balancer.BalancerRegistry registry) {
      throw new UnsupportedOperationException("not used by the registry");
    }

    @Override
    public Balancer<Object> newBalancer(ClientConn clientConn, BalancerArgs args) {
      throw new UnsupportedOperationException("not used by the registry");
    }
  }

  @Test
  void lastExplicitProviderWinsWhateverItsPriority() {
    TestResolverProvider high = new TestResolverProvider("x", 10, true);
    TestResolverProvider low = new TestResolverProvider("x", 0, true);
    PluginRegistry registry = PluginRegistry.newBuilder().addResolverProvider(high).build()
        .toBuilder().addResolverProvider(low).build();

    assertThat(registry.resolverProvider("x")).containsSame(low);
  }

  @Test
  void unavailableProvidersAreListedButNotSelected() {
    TestResolverProvider off = new TestResolverProvider("off", 5, false);
    PluginRegistry registry = PluginRegistry.newBuilder().addResolverProvider(off).build();

    assertThat(registry.resolverProvider("off")).isEmpty();
    assertThat(registry.schemes()).doesNotContain("off");
    assertThat(registry.resolvers())
        .filteredOn(info -> info.name().equals("off"))
        .singleElement()
        .satisfies(info -> {
          assertThat(info.available()).isFalse();
          assertThat(info.selected()).isFalse();
          assertThat(info.origin()).isEqualTo("builder");
        });
  }

  @Test
  void providerThatThrowsWhileDescribingItselfIsSkipped() {
    ResolverProvider broken = new ResolverProvider() {
      @Override
      public String scheme() {
        throw new IllegalStateException("boom");
      }

      @Override
      public Resolver newResolver(Target target, dev.switchboard.channel.api.resolver.ClientConn cc,
          ResolverArgs args) {
        throw new UnsupportedOperationException("not used by the registry");
      }
    };
    PluginRegistry registry = PluginRegistry.newBuilder().addResolverProvider(broken).build();

    assertThat(registry.resolvers()).noneMatch(info -> info.providerClass().equals(broken.getClass().getName()));
  }

  @Test
  void providerWithPriorityOutOfRangeIsSkipped() {
    PluginRegistry registry = PluginRegistry.newBuilder()
        .addBalancerProvider(new TestBalancerProvider("eleven", 11))
        .build();

    assertThat(registry.balancerProvider("eleven")).isEmpty();
    assertThat(registry.policies()).doesNotContain("eleven");
  }

  @Test
  void balancersAreKeyedByPolicyName() {
    TestBalancerProvider p = new TestBalancerProvider("weighted", 5);
    PluginRegistry registry = PluginRegistry.newBuilder().addBalancerProvider(p).build();

    assertThat(registry.balancerProvider("weighted")).containsSame(p);
    assertThat(registry.policies()).contains("weighted");
    assertThat(registry.balancers()).filteredOn(i -> i.name().equals("weighted"))
        .singleElement()
        .satisfies(i -> {
          assertThat(i.kind()).isEqualTo(PluginInfo.Kind.BALANCER);
          assertThat(i.selected()).isTrue();
        });
  }

  @Test
  void findsProvidersInAPluginLayerAndNotTwiceFromItsParent(@TempDir Path dir) throws Exception {
    Path classes = compilePluginModule(dir);
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf = boot.configuration()
        .resolveAndBind(ModuleFinder.of(classes), ModuleFinder.of(), Set.of("test.plugin"));
    ModuleLayer layer = boot.defineModulesWithOneLoader(cf, PluginRegistryTest.class.getClassLoader());

    PluginRegistry registry = PluginRegistry.newBuilder().addLayer(layer).build();

    assertThat(registry.resolverProvider("layered")).isPresent();
    assertThat(registry.resolverProvider("layered").orElseThrow().getClass().getModule().getName())
        .isEqualTo("test.plugin");
    assertThat(registry.resolvers()).filteredOn(i -> i.name().equals("layered"))
        .singleElement()
        .satisfies(i -> {
          assertThat(i.origin()).isEqualTo("plugin layer 1");
          assertThat(i.module()).isEqualTo("test.plugin");
          assertThat(i.version()).isEqualTo("1.2.3");
        });
    // Providers of the boot layer are seen once, not again through the plugin layer's parent.
    long bootCount = PluginRegistry.loadDefault().resolvers().size();
    assertThat(registry.resolvers()).hasSize((int) bootCount + 1);
  }

  /** Compiles a one-class plugin module against the API module, as a third party would. */
  private static Path compilePluginModule(Path dir) throws Exception {
    Path src = dir.resolve("src/test.plugin");
    Path pkg = src.resolve("test/plugin");
    Files.createDirectories(pkg);
    Files.writeString(src.resolve("module-info.java"), """
        module test.plugin {
          requires dev.switchboard.channel.api;
          provides dev.switchboard.channel.api.resolver.ResolverProvider with test.plugin.LayeredProvider;
        }
        """);
    Files.writeString(pkg.resolve("LayeredProvider.java"), """
        package test.plugin;
        import dev.switchboard.channel.api.resolver.*;
        public final class LayeredProvider implements ResolverProvider {
          public String scheme() { return "layered"; }
          public Resolver newResolver(Target target, ClientConn cc, ResolverArgs args) {
            throw new IllegalArgumentException("target '" + target + "': test only");
          }
        }
        """);
    Path out = dir.resolve("out");
    Path api = Path.of(ResolverProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = javac.run(new PrintStream(err, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        "--module-path", api.toString(), "--module-version", "1.2.3", "-d", out.toString(),
        src.resolve("module-info.java").toString(), pkg.resolve("LayeredProvider.java").toString());
    assertThat(rc).as("javac: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    return out;
  }
}
