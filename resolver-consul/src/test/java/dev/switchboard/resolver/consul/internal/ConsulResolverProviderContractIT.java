package dev.switchboard.resolver.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.testing.ResolverProviderContractTest;
import dev.switchboard.channel.testing.Targets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consul provider, as published (failsafe runs this against the shaded jar, not
 * target/classes), passes the testing kit's resolver contract against a real agent.
 */
class ConsulResolverProviderContractIT extends ResolverProviderContractTest {
  private static ConsulAgentProcess agent;

  @BeforeAll
  static void startAgent() throws Exception {
    agent = ConsulAgentProcess.start();
    agent.register("orders", "orders-1", 50051, "");
  }

  @AfterAll
  static void stopAgent() throws Exception {
    agent.close();
  }

  @Override
  protected ResolverProvider provider() {
    return new ConsulResolverProvider();
  }

  @Override
  protected Target validTarget() {
    return Targets.parse("consul://" + agent.address() + "/orders");
  }

  @Override
  protected Optional<Target> invalidTarget() {
    return Optional.of(Targets.parse("consul://" + agent.address() + "/orders?token=secret"));
  }

  @Test
  void runsAgainstThePublishedJarWithConsulApiRelocatedInsideIt() {
    assertThat(ConsulResolverProvider.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith(".jar");
    assertThat(ConsulResolverProvider.class.getClassLoader().getResource(
        "dev/switchboard/resolver/consul/internal/shaded/com/ecwid/consul/v1/ConsulRawClient.class")).isNotNull();
  }
}
