package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.Target;
import java.util.Optional;

class ManualResolverProviderContractTest extends ResolverProviderContractTest {

  @Override
  protected ResolverProvider provider() {
    return new ManualResolverProvider();
  }

  @Override
  protected Target validTarget() {
    ManualResolver resolver = ManualResolver.create();
    resolver.setInitialState(ResolverState.newBuilder().build());
    return Targets.parse(resolver.target());
  }

  @Override
  protected Optional<Target> invalidTarget() {
    return Optional.of(Targets.parse("manual:///never-created"));
  }
}
