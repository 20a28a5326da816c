/**
 * The {@code zk} name resolver: service instances registered in ZooKeeper, watched.
 *
 * <h2>Targets</h2>
 *
 * <pre>
 * zk://[host[:port][,host[:port]…]]/[base/path/]service[?format=curator|serverset][&amp;port=NAME]
 * </pre>
 *
 * <ul>
 *   <li>The authority is the ZooKeeper ensemble (port 2181 by default). Without one
 *       ({@code zk:///services/orders}) the ensemble comes from the resolver option {@code
 *       zk.ensemble}, then the system property {@code switchboard.zk.ensemble}, then the environment
 *       variable {@code SWITCHBOARD_ZK_ENSEMBLE}; none of them is an error.
 *   <li>The path is the service's znode: Curator's base path, then the service name (its last
 *       segment). {@code zk://zk1:2181/services/orders}: base path {@code /services}, service
 *       {@code orders}, instances in the children of {@code /services/orders}.
 *   <li>{@code format=curator} (the default): each child is a curator-x-discovery
 *       {@code ServiceInstance} in JSON, as {@code ServiceDiscovery.registerService} (and Spring
 *       Cloud Zookeeper) write it. {@code format=serverset}: each child is a Finagle ServerSet
 *       member ({@code serviceEndpoint}, {@code additionalEndpoints}, {@code status}); the path is
 *       the ServerSet's.
 *   <li>{@code port}: which port of an instance is dialled: {@code port} (default) or {@code
 *       sslPort} of a {@code ServiceInstance}; {@code serviceEndpoint} (default) or the name of one
 *       of the {@code additionalEndpoints} of a ServerSet member. It does not turn TLS on: the
 *       channel's transport decides that.
 *   <li>A chroot, the session timeout and the connection timeout are resolver options ({@link
 *       dev.switchboard.resolver.zookeeper.ZookeeperResolverOptions}).
 * </ul>
 *
 * <p>A malformed target (no service name, an empty path segment, an ensemble server with an empty
 * host or a port out of 1-65535, an unknown query parameter) fails the channel's {@code build()}
 * with an {@link IllegalArgumentException} naming the target and the problem.
 *
 * <h2>Instances</h2>
 *
 * <p>Each instance becomes one endpoint of one address: its {@code address} (an IP literal, or a
 * host name that the resolver looks up, with the JVM's DNS cache) and the chosen port. Its balancer-only
 * attributes are in {@link dev.switchboard.resolver.zookeeper.ZookeeperAttributes}: znode, id, the
 * payload's metadata (a payload of any class: it is read as JSON, so Spring Cloud Zookeeper's
 * {@code ZookeeperInstance} with its {@code @class} needs no class of Spring's), zone and weight.
 * Instances with {@code "enabled": false}, and ServerSet members whose status is not {@code
 * ALIVE}, are left out. A znode that holds no usable instance (not JSON, no address, no port, a
 * port out of range, a host name DNS does not know) is left out too, named with what is wrong in a WARNING log line (once) and in
 * the state's {@link dev.switchboard.resolver.zookeeper.ZookeeperAttributes#SKIPPED_INSTANCES};
 * the others are used. Instances are ordered by znode name.
 *
 * <h2>Service config</h2>
 *
 * <p>The data of the service's znode, when it holds JSON, is the service config (gRPC's JSON form),
 * watched like the instances. Empty data (as Curator leaves it) or data that is not JSON is no
 * config. A broken config is reported as the state's config error, naming the znode: the channel
 * keeps its previous (or default) config while the addresses keep flowing.
 *
 * <h2>Watching and faults</h2>
 *
 * <p>A Curator {@code CuratorCache} (a persistent recursive watch) follows the service's znode: a
 * registration, an unregistration or an expired registrant's session reaches the channel as a new
 * state as soon as ZooKeeper tells; nothing is polled. {@code resolveNow()} reads nothing from
 * ZooKeeper: it re-reports the cached state, at most once a second. While ZooKeeper is unreachable,
 * or the session is suspended or lost, nothing is reported and the channel keeps the last
 * addresses; once connected again (a new session if the old one expired) the resolver re-reads the
 * whole service and reports what changed. A service with no instances (or no znode yet) is a valid
 * empty state, not an error. Only a resolver that has read nothing within the connection timeout
 * reports {@code UNAVAILABLE}, and it goes on trying.
 *
 * <h2>Sessions</h2>
 *
 * <p>Resolvers whose ensemble, chroot and timeouts are the same share one ZooKeeper session,
 * counted by use: it opens with the first and closes when the last one closes (100 channels on 10
 * services of one ensemble hold one session).
 *
 * <h2>Threads</h2>
 *
 * <p>ZooKeeper's and Curator's threads, one set per session; reports are built on the channel's
 * scheduler. Curator and the ZooKeeper client are relocated inside this module (its {@code
 * internal.shaded} packages): they are not visible to, and do not clash with, an application's own.
 */
package dev.switchboard.resolver.zookeeper;
