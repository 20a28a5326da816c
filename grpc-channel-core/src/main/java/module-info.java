/**
 * The Switchboard channel: it parses targets, finds resolvers and balancers through
 * {@link java.util.ServiceLoader}, drives them with grpc-go's semantics, and carries calls over
 * HTTP/2.
 *
 * <p>Applications use the one exported package, {@code dev.switchboard.channel.core}; everything
 * else is internal. The built-in {@code passthrough} resolver and {@code pick_first} balancer are
 * providers like any other.
 *
 * @uses dev.switchboard.channel.api.resolver.ResolverProvider
 * @uses dev.switchboard.channel.api.balancer.BalancerProvider
 * @provides dev.switchboard.channel.api.resolver.ResolverProvider the {@code passthrough} scheme
 * @provides dev.switchboard.channel.api.balancer.BalancerProvider the {@code pick_first} policy
 * @since 0.1
 */
module dev.switchboard.channel.core {
  requires transitive dev.switchboard.channel.api;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.jr.ob;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;

  exports dev.switchboard.channel.core;
  // The testing kit's fake resolver ClientConn and the CLI's "resolve" parse service configs as the
  // channel does.
  exports dev.switchboard.channel.core.internal.config to
      dev.switchboard.channel.testing, dev.switchboard.cli;
  // The CLI's "resolve" reads targets exactly as a channel does.
  exports dev.switchboard.channel.core.internal.channel to dev.switchboard.cli;

  uses dev.switchboard.channel.api.resolver.ResolverProvider;
  uses dev.switchboard.channel.api.balancer.BalancerProvider;

  provides dev.switchboard.channel.api.resolver.ResolverProvider
      with dev.switchboard.channel.core.internal.builtin.PassthroughResolverProvider;
  provides dev.switchboard.channel.api.balancer.BalancerProvider
      with dev.switchboard.channel.core.internal.builtin.PickFirstBalancerProvider;
}
