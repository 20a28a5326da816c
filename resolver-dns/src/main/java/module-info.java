/**
 * The {@code dns} name resolver for Switchboard channels, built on netty-resolver-dns: A/AAAA
 * addresses, grpclb balancers from SRV {@code _grpclb._tcp.<host>} (gRFC A5, off by default) and
 * service configs from TXT {@code _grpc_config.<host>} (gRFC A2).
 *
 * <p>Targets: {@code dns:[//dns-server[:dns-port]/]host[:port]}. The port defaults to the channel's
 * default port (443); a {@code dns-server} (an IP address, port 53 by default) is the only server
 * asked, otherwise the system's DNS servers are. IP literals and {@code localhost} resolve without a
 * query. Examples: {@code dns:///orders.example.com:50051}, {@code
 * dns://127.0.0.1:25353/echo.test:50051}.
 *
 * <p>Options ({@link dev.switchboard.resolver.dns.DnsResolverOptions}, set with the channel
 * builder's {@code resolverOption} or the CLI's {@code --resolver-option NAME=VALUE}):
 *
 * <ul>
 *   <li>{@code dns.enable-grpclb}: look up SRV records for grpclb balancers; default false.
 *   <li>{@code dns.enable-service-config}: look up TXT records for a service config; default true
 *       (never when the channel ignores resolver service configs).
 *   <li>{@code dns.min-resolution-interval}: the least time between resolutions; default 30 s.
 *   <li>{@code dns.query-timeout}: how long a resolution may take; default 5 s.
 * </ul>
 *
 * <p>The full grammar and behaviour (address order, service config choice, errors, rate limit,
 * threads) are on the package {@link dev.switchboard.resolver.dns}.
 *
 * <p>The provider class is not exported: the module is used through {@code ServiceLoader} only.
 *
 * @provides dev.switchboard.channel.api.resolver.ResolverProvider the {@code dns} scheme
 * @since 0.1
 */
module dev.switchboard.resolver.dns {
  requires dev.switchboard.channel.api;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.jr.ob;
  requires io.netty.buffer;
  requires io.netty.codec.dns;
  requires io.netty.common;
  requires io.netty.resolver;
  requires io.netty.resolver.dns;
  requires io.netty.transport;

  exports dev.switchboard.resolver.dns;

  provides dev.switchboard.channel.api.resolver.ResolverProvider
      with dev.switchboard.resolver.dns.internal.DnsResolverProvider;
}
