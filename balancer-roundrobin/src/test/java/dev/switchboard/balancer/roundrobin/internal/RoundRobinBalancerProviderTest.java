package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
  void moduleDeclaresTheProviderAsMetaInfServicesDoes() throws IOException {
    Module module = RoundRobinBalancerProvider.class.getModule();
    assertThat(module.isNamed()).as("tests run on the module path").isTrue();
    ModuleDescriptor descriptor = module.getDescriptor();

    assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name)
        .containsExactlyInAnyOrder("java.base", "dev.switchboard.channel.api");
    assertThat(descriptor.exports()).isEmpty();
    assertThat(descriptor.provides()).singleElement().satisfies(p -> {
      assertThat(p.service()).isEqualTo(BalancerProvider.class.getName());
      assertThat(p.providers()).containsExactly(RoundRobinBalancerProvider.class.getName());
    });
    try (InputStream in = module.getResourceAsStream(
        "META-INF/services/" + BalancerProvider.class.getName())) {
      assertThat(in).as("META-INF/services file").isNotNull();
      List<String> declared = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      assertThat(declared).containsExactly(RoundRobinBalancerProvider.class.getName());
    }
  }
}
