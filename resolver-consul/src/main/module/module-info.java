/**
 * The {@code consul} name resolver for Switchboard channels: a service's passing instances from a
 * Consul agent's health endpoint, followed with blocking queries, with the service config from a
 * KV key.
 *
 * <p>Targets: {@code consul://[host[:port]]/service[?tag=T][&dc=DC][&config=KEY]}; the grammar,
 * token handling, blocking queries and faults are on the package {@link
 * dev.switchboard.resolver.consul}, the options in {@link
 * dev.switchboard.resolver.consul.ConsulResolverOptions}.
 *
 * <p>Self-contained: consul-api and Apache HttpClient (with commons-logging and commons-codec) are
 * relocated into this module's internal packages, so it links with plain {@code jlink}.
 *
 * @provides dev.switchboard.channel.api.resolver.ResolverProvider the {@code consul} scheme
 * @since 0.1
 */
module dev.switchboard.resolver.consul {
  requires dev.switchboard.channel.api;
  requires com.google.gson;
  requires java.logging;
  requires java.naming;

  exports dev.switchboard.resolver.consul;

  provides dev.switchboard.channel.api.resolver.ResolverProvider
      with dev.switchboard.resolver.consul.internal.ConsulResolverProvider;
}
