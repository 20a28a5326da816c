package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerProviderTest {

  private final RoundRobinBalancerProvider provider = new RoundRobinBalancerProvider();

  @Test
  void servesTheRoundRobinPolicy() {
    assertThat(provider.policyName()).isEqualTo("round_robin");
    assertThat(provider.isAvailable()).isTrue();
  }

  @Test
  void acceptsAnEmptyConfigAndIgnoresUnknownFields() {
    BalancerRegistry none = new BalancerRegistry() {
      @Override
      public Optional<BalancerProvider<?>> provider(String policyName) {
        return Optional.empty();
      }

      @Override
      public Set<String> policies() {
        return Set.of();
      }
    };
    assertThat(provider.parseConfig(Map.of(), none).config()).contains(RoundRobinConfig.INSTANCE);
    assertThat(provider.parseConfig(Map.of("choiceCount", 2.0, "nested", Map.of()), none).isOk()).isTrue();
  }

  @Test
  void moduleRequiresOnlyTheApiAndExportsNothing() {
    Module module = RoundRobinBalancerProvider.class.getModule();
    assertThat(module.isNamed()).as("tests run on the module path").isTrue();
    ModuleDescriptor descriptor = module.getDescriptor();

    assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name)
        .containsExactlyInAnyOrder("java.base", "dev.switchboard.channel.api");
    assertThat(descriptor.exports()).isEmpty();
    assertThat(descriptor.opens()).isEmpty();
  }
}
