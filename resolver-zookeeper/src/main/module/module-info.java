/**
 * The {@code zk} name resolver for Switchboard channels: service instances that Curator's {@code
 * ServiceDiscovery} (or a Finagle ServerSet) registers in ZooKeeper, watched, with the service
 * config read from the service's znode.
 *
 * <p>Targets: {@code zk://[host[:port],…]/[base/path/]service[?format=curator|serverset][&port=NAME]};
 * the grammar, the mapping of instances, faults and sessions are on the package {@link
 * dev.switchboard.resolver.zookeeper}, the options in {@link
 * dev.switchboard.resolver.zookeeper.ZookeeperResolverOptions}.
 *
 * <p>Self-contained: Curator and the ZooKeeper client are relocated into this module's internal
 * packages, so it links with plain {@code jlink} (no automatic module, no split package). It needs
 * real modules only: SLF4J 2 (give it a provider to see ZooKeeper's logs), Netty and jackson-jr.
 *
 * @provides dev.switchboard.channel.api.resolver.ResolverProvider the {@code zk} scheme
 * @since 0.1
 */
module dev.switchboard.resolver.zookeeper {
  requires dev.switchboard.channel.api;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.jr.ob;
  requires org.slf4j;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires java.logging;
  requires java.management;
  requires java.naming;
  requires java.security.jgss;
  requires java.security.sasl;
  requires jdk.unsupported;

  exports dev.switchboard.resolver.zookeeper;

  provides dev.switchboard.channel.api.resolver.ResolverProvider
      with dev.switchboard.resolver.zookeeper.internal.ZookeeperResolverProvider;
}
