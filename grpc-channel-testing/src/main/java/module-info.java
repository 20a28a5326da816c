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
 * <p>JUnit and AssertJ are {@code static} requires: only the contract tests use them, and a test
 * that extends those has both on its path anyway (and reads JUnit's API through this module, hence
 * {@code transitive}). The rest of the kit ({@link dev.switchboard.channel.testing.TestBackend},
 * {@link dev.switchboard.channel.testing.TestMethods}, the manual resolver, the fakes) touches
 * neither, so it runs without them: the {@code switchboard} image links it for {@code demo} and
 * leaves JUnit and AssertJ out. Loading a contract test class without them fails with
 * {@code NoClassDefFoundError}, which no user of the image does.
 *
 * @provides dev.switchboard.channel.api.resolver.ResolverProvider the {@code manual} scheme
 * @since 0.1
 */
module dev.switchboard.channel.testing {
  requires transitive dev.switchboard.channel.api;
  requires transitive dev.switchboard.channel.core;
  requires static transitive org.junit.jupiter.api;
  requires static org.assertj.core;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;

  exports dev.switchboard.channel.testing;

  provides dev.switchboard.channel.api.resolver.ResolverProvider
      with dev.switchboard.channel.testing.ManualResolverProvider;
}
