/**
 * The Switchboard channel: it parses targets, finds resolvers and balancers through
 * {@link java.util.ServiceLoader}, drives them with grpc-go's semantics, and carries calls over
 * HTTP/2.
 *
 * <p>Applications use the one exported package, {@code dev.switchboard.channel.core}; everything
 * else is internal. The built-in {@code passthrough} resolver and {@code pick_first} balancer are
 * providers like any other.
 *
 * <p>Connections run on Netty's native epoll transport where it is available (Linux x86_64), as
 * grpc-java's do, and on NIO elsewhere. The system property {@code switchboard.transport.nio=true}
 * forces NIO; the event-loop threads are named {@code switchboard-epoll-*} or
 * {@code switchboard-nio-*}.
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
  // Native epoll where it loads, NIO otherwise. The classes are plain Java and load anywhere.
  requires io.netty.transport.classes.epoll;
  // Only META-INF/native/libnetty_transport_native_epoll_x86_64.so (no package): required so that
  // the module path of tests and users, and the jlink image, hold it without --add-modules;
  // Netty's loader finds the library as a resource through the class loader and extracts it. On
  // other platforms it is 100 KB that nothing loads, and the transport stays NIO.
  requires io.netty.transport.epoll.linux.x86_64;

  exports dev.switchboard.channel.core;
  // The testing kit's fake resolver ClientConn and the CLI's "resolve" parse service configs as the
  // channel does.
  exports dev.switchboard.channel.core.internal.config to
      dev.switchboard.channel.testing, dev.switchboard.cli;
  // The CLI's "resolve" reads targets exactly as a channel does.
  exports dev.switchboard.channel.core.internal.channel to dev.switchboard.cli;
  // The testing kit's Targets parses target strings exactly as a channel does.
  exports dev.switchboard.channel.core.internal.target to dev.switchboard.channel.testing;

  uses dev.switchboard.channel.api.resolver.ResolverProvider;
  uses dev.switchboard.channel.api.balancer.BalancerProvider;

  provides dev.switchboard.channel.api.resolver.ResolverProvider
      with dev.switchboard.channel.core.internal.builtin.PassthroughResolverProvider;
  provides dev.switchboard.channel.api.balancer.BalancerProvider
      with dev.switchboard.channel.core.internal.builtin.PickFirstBalancerProvider;
}
