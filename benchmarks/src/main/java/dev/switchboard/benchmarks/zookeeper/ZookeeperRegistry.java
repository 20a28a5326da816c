package dev.switchboard.benchmarks.zookeeper;

import dev.switchboard.channel.api.resolver.Address;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;

/**
 * A real ZooKeeper for the {@code zk} resolver's benchmarks, and a registrar that writes to it as
 * applications do.
 *
 * <ul>
 *   <li>The server: curator-test's {@link TestingServer} (a standalone ZooKeeper 3.9) in this JVM,
 *       listening on 127.0.0.1 only ({@code clientPortAddress}), on a free port, with a temporary
 *       data directory deleted on {@link #close()}.
 *   <li>The registrar: curator-x-discovery's {@link ServiceDiscovery} (base path {@value #BASE_PATH},
 *       no payload) on a Curator client and ZooKeeper session of its own: the original, unrelocated
 *       Curator, which the resolver (its own relocated copy) does not share. Each instance is a
 *       child of {@code /services/<service>} in curator-x-discovery's JSON, address 127.0.0.1 and a
 *       port that nothing dials (the benchmarks' transports connect nowhere).
 * </ul>
 *
 * <p>{@link #sessions()} counts the sessions the server holds, from its JMX beans (one
 * {@code Connections} bean per connected session): the registrar's one, plus the resolvers';
 * {@link #serverPacketsReceived()} counts the requests it received.
 *
 * <p>Not thread-safe: one thread registers and reads.
 */
public final class ZookeeperRegistry implements AutoCloseable {
  /** Where curator-x-discovery writes services: {@code /services/<name>/<instance id>}. */
  public static final String BASE_PATH = "/services";

  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private final TestingServer server;
  private final CuratorFramework client;
  private final ServiceDiscovery<Void> discovery;
  private final ObjectName connections;
  private final ObjectName serverBean;

  private ZookeeperRegistry(TestingServer server, CuratorFramework client, ServiceDiscovery<Void> discovery)
      throws MalformedObjectNameException {
    this.server = server;
    this.client = client;
    this.discovery = discovery;
    this.connections = new ObjectName("org.apache.ZooKeeperService:name0=StandaloneServer_port"
        + server.getPort() + ",name1=Connections,*");
    this.serverBean = new ObjectName("org.apache.ZooKeeperService:name0=StandaloneServer_port" + server.getPort());
  }

  /** Starts the server and the registrar, and returns once the registrar's session is connected. */
  public static ZookeeperRegistry start() throws Exception {
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1,
        Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
    TestingServer server = new TestingServer(spec, true);
    CuratorFramework client = null;
    try {
      client = CuratorFrameworkFactory.newClient("127.0.0.1:" + server.getPort(), new RetryOneTime(100));
      client.start();
      if (!client.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IOException("the registrar did not connect to ZooKeeper on port " + server.getPort());
      }
      ServiceDiscovery<Void> discovery = ServiceDiscoveryBuilder.builder(Void.class)
          .client(client).basePath(BASE_PATH).build();
      discovery.start();
      return new ZookeeperRegistry(server, client, discovery);
    } catch (Exception e) {
      if (client != null) {
        client.close();
      }
      server.close();
      throw e;
    }
  }

  /** Returns the registrar's Curator client (the original Curator, a session of its own). */
  public CuratorFramework client() {
    return client;
  }

  /** Returns the server's port on 127.0.0.1. */
  public int port() {
    return server.getPort();
  }

  /** Returns the {@code zk} target of {@code service}: {@code zk://127.0.0.1:PORT/services/<service>}. */
  public String target(String service) {
    return "zk://127.0.0.1:" + port() + BASE_PATH + "/" + service;
  }

  /** Registers one instance of {@code service} at 127.0.0.1:{@code port}; returns once ZooKeeper has it. */
  public ServiceInstance<Void> register(String service, int port) throws Exception {
    ServiceInstance<Void> instance = ServiceInstance.<Void>builder().name(service).address("127.0.0.1")
        .port(port).build();
    discovery.registerService(instance);
    return instance;
  }

  /** Registers {@code count} instances of {@code service}, ports {@code firstPort} and up. */
  public List<ServiceInstance<Void>> registerAll(String service, int count, int firstPort) throws Exception {
    List<ServiceInstance<Void>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(register(service, firstPort + i));
    }
    return out;
  }

  /** Unregisters {@code instance}; returns once ZooKeeper has deleted it. */
  public void unregister(ServiceInstance<Void> instance) throws Exception {
    discovery.unregisterService(instance);
  }

  /** Returns how many sessions are connected to the server (the registrar's included). */
  public int sessions() {
    return ManagementFactory.getPlatformMBeanServer().queryNames(connections, null).size();
  }

  /**
   * Returns the packets the server has received from all its clients since it started (its JMX
   * {@code PacketsReceived}): a request is one packet, and so is a session's ping (one every third
   * of the session timeout while it is idle).
   */
  public long serverPacketsReceived() {
    try {
      return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(serverBean, "PacketsReceived");
    } catch (javax.management.JMException e) {
      throw new IllegalStateException("ZooKeeper's JMX bean " + serverBean + ": " + e, e);
    }
  }

  /**
   * Waits until the server holds {@code expected} sessions (a closed session goes within a round
   * trip; the resolver closes its last one off the channel's thread).
   *
   * @throws IllegalStateException if it does not within {@code timeout}
   */
  public void awaitSessions(int expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sessions() != expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("ZooKeeper holds " + sessions() + " sessions after " + timeout
            + " (expected: " + expected + ")");
      }
      LockSupport.parkNanos(5_000_000L); // the poll interval
    }
  }

  /** Returns the address an instance at 127.0.0.1:{@code port} resolves to. */
  public static Address address(int port) {
    try {
      return Address.of(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), port));
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // a 4-byte address is always valid
    }
  }

  /** Returns the addresses of {@code count} instances at ports {@code firstPort} and up, in order. */
  public static List<Address> addresses(int count, int firstPort) {
    List<Address> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(address(firstPort + i));
    }
    return out;
  }

  /** Closes the registrar (its instances, ephemeral, go with its session), then the server. */
  @Override
  public void close() throws IOException {
    try {
      discovery.close();
    } finally {
      client.close();
      server.close();
    }
  }
}
