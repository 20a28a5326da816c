package dev.switchboard.cli.internal;

import dev.switchboard.channel.testing.backend.TestBackend;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;

/**
 * A service registry for the image tests: a real ZooKeeper in this JVM (curator-test's {@link
 * TestingServer}) listening on 127.0.0.1 only, with instances registered by curator-x-discovery's
 * {@link ServiceDiscovery} under {@value #BASE_PATH}, as applications register them. Closing it
 * unregisters them and stops the client and the server.
 *
 * <p>Not thread-safe: used by one test at a time.
 */
final class ZookeeperRegistry implements AutoCloseable {
  static final String BASE_PATH = "/services";

  private final TestingServer server;
  private final CuratorFramework client;
  @SuppressWarnings("rawtypes")
  private final ServiceDiscovery<Map> discovery;

  private ZookeeperRegistry(TestingServer server, CuratorFramework client,
      @SuppressWarnings("rawtypes") ServiceDiscovery<Map> discovery) {
    this.server = server;
    this.client = client;
    this.discovery = discovery;
  }

  /** Starts a ZooKeeper server on 127.0.0.1 (a free port, its admin server off) and a client of it. */
  static ZookeeperRegistry start() throws Exception {
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1,
        Map.of("clientPortAddress", "127.0.0.1", "admin.enableServer", "false"), "127.0.0.1");
    TestingServer server = new TestingServer(spec, true);
    CuratorFramework client = null;
    try {
      client = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
      client.start();
      if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no connection to the test ZooKeeper at " + server.getConnectString());
      }
      @SuppressWarnings("rawtypes")
      ServiceDiscovery<Map> discovery = ServiceDiscoveryBuilder.builder(Map.class)
          .client(client).basePath(BASE_PATH).build();
      discovery.start();
      return new ZookeeperRegistry(server, client, discovery);
    } catch (Exception | Error e) {
      if (client != null) {
        client.close();
      }
      server.close();
      throw e;
    }
  }

  /** Returns the server's client port, on 127.0.0.1. */
  int port() {
    return server.getPort();
  }

  /** Returns the {@code zk:} target of {@code service}: {@code zk://127.0.0.1:PORT/services/NAME}. */
  String target(String service) {
    return "zk://127.0.0.1:" + port() + BASE_PATH + "/" + service;
  }

  /** Returns the znode of {@code service}, {@code /services/NAME}. */
  static String serviceZnode(String service) {
    return BASE_PATH + "/" + service;
  }

  /**
   * Registers {@code backend} (address 127.0.0.1, its port) as an instance of {@code service} with
   * {@code payload} (written as JSON by curator-x-discovery) and returns its id.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  String register(String service, TestBackend backend, Map<String, Object> payload) throws Exception {
    ServiceInstance instance = ServiceInstance.builder()
        .name(service).address("127.0.0.1").port(backend.port()).payload(payload).build();
    discovery.registerService(instance);
    return instance.getId();
  }

  /** Writes {@code json} into the znode of {@code service}, creating it if needed. */
  void serviceConfig(String service, String json) throws Exception {
    write(serviceZnode(service), json);
  }

  /** Writes {@code data} into {@code znode}, creating it (and its parents) if needed. */
  void write(String znode, String data) throws Exception {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    if (client.checkExists().forPath(znode) == null) {
      client.create().creatingParentsIfNeeded().forPath(znode, bytes);
    } else {
      client.setData().forPath(znode, bytes);
    }
  }

  @Override
  public void close() throws Exception {
    try (TestingServer s = server; CuratorFramework c = client; ServiceDiscovery<?> d = discovery) {
      // Closed in reverse: the discovery (unregistering), the client, the server.
    }
  }
}
