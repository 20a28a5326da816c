package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.PluginRegistry;
import java.util.Optional;

/** Core's built-in {@code passthrough} resolver meets the resolver contract (core cannot depend on the kit). */
class PassthroughProviderContractTest extends ResolverProviderContractTest {

  @Override
  protected ResolverProvider provider() {
    return PluginRegistry.loadDefault().resolverProvider("passthrough")
        .orElseThrow(() -> new AssertionError("core provides no 'passthrough' resolver"));
  }

  @Override
  protected Target validTarget() {
    return Targets.parse("passthrough:///127.0.0.1:8080");
  }

  @Override
  protected Optional<Target> invalidTarget() {
    return Optional.of(Targets.parse("passthrough:///127.0.0.1:99999"));
  }
}
