/**
 * What plugin authors (and Switchboard itself) test with: a {@code manual} resolver that tests
 * drive, fake resolver and balancer {@code ClientConn}s that record what they are given, a manual
 * clock and scheduler, a small test backend server, and abstract contract tests
 * ({@code ResolverProviderContractTest}, {@code BalancerProviderContractTest}) that every provider
 * module extends.
 *
 * <p>Core is required transitively because {@code FakeResolverClientConn} parses service configs
 * with core's own parser (through a qualified export of core's config package) and takes a
 * {@code PluginRegistry}. The kit loads no providers itself, so it declares no {@code uses}.
 *
 * <p>The test backend ({@code TestBackend}, {@code TestMethods}) lives in its own module,
 * {@code dev.switchboard.channel.testing.backend}, required transitively: a plugin author who
 * requires the kit reads the backend too, and a program that needs only backends (the
 * {@code switchboard} image's {@code demo}) takes that module without the kit and its
 * {@code manual} resolver.
 *
 * <p>JUnit and AssertJ are {@code static} requires: only the contract tests use them, and a test
 * that extends those has both on its path anyway (and reads JUnit's API through this module, hence
 * {@code transitive}). The rest of the kit (the manual resolver, the fakes, the clock) touches
 * neither, so it runs without them. Loading a contract test class without them fails with
 * {@code NoClassDefFoundError}.
 *
 * @provides dev.switchboard.channel.api.resolver.ResolverProvider the {@code manual} scheme
 * @since 0.1
 */
module dev.switchboard.channel.testing {
  requires transitive dev.switchboard.channel.api;
  requires transitive dev.switchboard.channel.core;
  requires static transitive org.junit.jupiter.api;
  requires static org.assertj.core;
  requires transitive dev.switchboard.channel.testing.backend;

  exports dev.switchboard.channel.testing;

  provides dev.switchboard.channel.api.resolver.ResolverProvider
      with dev.switchboard.channel.testing.ManualResolverProvider;
}
