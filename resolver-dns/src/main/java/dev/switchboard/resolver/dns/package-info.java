/**
 * Options of the {@code dns} resolver, a name resolver for Switchboard channels built on
 * netty-resolver-dns.
 *
 * <h2>Targets</h2>
 *
 * <pre>
 * dns:[//dns-server[:dns-port]/]host[:port]
 * </pre>
 *
 * <ul>
 *   <li>{@code host}: a DNS name, an IPv4 literal, an IPv6 literal in brackets ({@code [::1]}, or
 *       bare when no port follows; a link-local one with its zone, {@code [fe80::1%eth0]}), or
 *       {@code localhost}. Host and port follow {@link
 *       dev.switchboard.channel.api.resolver.HostAndPort}, as every built-in resolver does.
 *   <li>{@code port}: 1-65535 in ASCII digits; default: the channel's default port ({@code ResolverArgs.defaultPort()},
 *       443 unless the channel says otherwise).
 *   <li>{@code dns-server}: the DNS server to ask, an IP address (IPv6 in brackets) or {@code
 *       localhost}; {@code dns-port} defaults to 53. Without it the system's DNS servers are asked
 *       (netty's default name server provider: {@code /etc/resolv.conf} on Unix), with the system's
 *       search domains and hosts file.
 * </ul>
 *
 * <p>Examples: {@code dns:///orders.example.com:50051}, {@code dns:orders:8443}, {@code
 * dns://127.0.0.1:25353/echo.test:50051}, {@code dns:///[::1]:50051}.
 *
 * <p>A malformed target makes {@code newResolver} throw an {@link IllegalArgumentException} whose
 * message names the target and the problem, e.g. {@code target 'dns:///x:99999': 'x:99999': port
 * 99999 (expected: 1-65535)}.
 *
 * <h2>What is resolved</h2>
 *
 * <ul>
 *   <li>IP literals and {@code localhost} resolve without a query: to the literal, or to {@code
 *       127.0.0.1} then {@code ::1}; SRV and TXT are not looked up for them.
 *   <li>Addresses: A and AAAA records, both queried; the IPv4 addresses come first, then the IPv6
 *       ones, each family in the DNS server's order.
 *   <li>grpclb balancers (gRFC A5), when {@link dev.switchboard.resolver.dns.DnsResolverOptions#ENABLE_GRPCLB}
 *       is set: SRV records {@code _grpclb._tcp.<host>}, each target resolved (A/AAAA) with the
 *       SRV port, in the resolver state's attributes under {@code
 *       ResolverState.GRPCLB_BALANCER_ADDRESSES}, each address carrying {@code
 *       Address.AUTHORITY_OVERRIDE} = the SRV target host.
 *   <li>Service config (gRFC A2), unless {@link
 *       dev.switchboard.resolver.dns.DnsResolverOptions#ENABLE_SERVICE_CONFIG} is false: TXT
 *       records {@code _grpc_config.<host>} starting {@code grpc_config=}, whose JSON array of
 *       choices is matched on {@code clientLanguage} ({@code java}), {@code percentage} and {@code
 *       clientHostname}; the first choice that applies gives the {@code serviceConfig} passed to
 *       the channel's parser. No such record, or no choice that applies: no config in the state
 *       (the channel uses its default). A broken record: the addresses are still delivered, and the
 *       state carries the config error ({@code UNAVAILABLE} naming the TXT record and the
 *       problem).
 * </ul>
 *
 * <h2>Errors, timeouts and re-resolution</h2>
 *
 * <ul>
 *   <li>A failed A/AAAA lookup is reported with {@code reportError} ({@code UNAVAILABLE}, naming
 *       the host and the DNS server; NXDOMAIN says so); the channel keeps its last good addresses.
 *   <li>A resolution ends within {@link dev.switchboard.resolver.dns.DnsResolverOptions#QUERY_TIMEOUT}
 *       (default 5 s), also when the DNS server does not answer.
 *   <li>Re-resolution happens on {@code resolveNow()} only, at most once per {@link
 *       dev.switchboard.resolver.dns.DnsResolverOptions#MIN_RESOLUTION_INTERVAL} (default 30 s)
 *       after a successful one: an early call is deferred to the end of the interval on {@code
 *       ResolverArgs.scheduler()}, measured with {@code ResolverArgs.ticker()}. After a failure the
 *       next call resolves at once.
 *   <li>Nothing is delivered after {@code close()}.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * <p>Every resolver that queries DNS owns a one-thread netty event loop (a daemon thread named
 * {@code switchboard-dns-…}) with a netty DNS resolver on it, with netty's caches off; {@code
 * close()} releases both without waiting. Resolvers of IP literals and {@code localhost} own no
 * thread.
 *
 * @since 0.1
 */
package dev.switchboard.resolver.dns;
