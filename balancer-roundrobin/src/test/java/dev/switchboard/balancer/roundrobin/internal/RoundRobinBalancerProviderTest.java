package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
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
    assertThat(provider.parseConfig(Map.of()).isOk()).isTrue();
    assertThat(provider.parseConfig(Map.of("choiceCount", 2.0, "nested", Map.of())).isOk()).isTrue();
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
