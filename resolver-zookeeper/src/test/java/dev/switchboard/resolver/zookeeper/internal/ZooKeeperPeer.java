package dev.switchboard.resolver.zookeeper.internal;

import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;

/**
 * The real ZooKeeper of these tests (curator-test's in-process server, on 127.0.0.1 only), what it
 * says about itself (the {@code mntr} four-letter word: connections, packets), and registrants
 * that write instances as applications do, with curator-x-discovery's {@code ServiceDiscovery}.
 */
final class ZooKeeperPeer {

  private ZooKeeperPeer() {}

  /** Starts a ZooKeeper that listens on 127.0.0.1 only. */
  static TestingServer start() throws Exception {
    // -1: curator-test's defaults (a temporary folder, free ports, its tick time and limits).
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1,
        Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
    return new TestingServer(spec, true);
  }

  /** Returns the server's {@code mntr} report, name to value. */
  static Map<String, String> mntr(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("mntr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String report = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> values = new HashMap<>();
      for (String line : report.split("\n")) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          values.put(line.substring(0, tab), line.substring(tab + 1).trim());
        }
      }
      if (values.isEmpty()) {
        throw new IOException("mntr answered " + report
            + " (is zookeeper.4lw.commands.whitelist set for the test JVM?)");
      }
      return values;
    }
  }

  /** Returns the server's count of client connections, its own ({@code mntr}'s) included. */
  static int connections(int port) throws IOException {
    return Integer.parseInt(mntr(port).get("zk_num_alive_connections"));
  }

  /** As {@link #connections}, for a condition to poll. */
  static int connectionsUnchecked(int port) {
    try {
      return connections(port);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Returns how many packets the server has received from clients. */
  static long packetsReceived(int port) throws IOException {
    return Long.parseLong(mntr(port).get("zk_packets_received"));
  }

  /** Returns a started client of the test's own, for writing znodes. */
  static CuratorFramework client(String connectString) {
    return client(connectString, 10_000);
  }

  static CuratorFramework client(String connectString, int sessionTimeoutMillis) {
    CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connectString)
        .sessionTimeoutMs(sessionTimeoutMillis).connectionTimeoutMs(10_000).retryPolicy(new RetryOneTime(100))
        .build();
    client.start();
    return client;
  }

  /** Returns resolver arguments with real threads; the caller shuts them down with {@link Threads}. */
  static ResolverArgs args(Threads threads, PluginOptions options) {
    return ResolverArgs.newBuilder().scheduler(threads.scheduler).offloadExecutor(threads.offload)
        .options(options).build();
  }

  /** A scheduler and an offload executor for a resolver under test. */
  static final class Threads implements AutoCloseable {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService offload = Executors.newCachedThreadPool();

    @Override
    public void close() {
      scheduler.shutdownNow();
      offload.shutdownNow();
    }
  }

  /** An application that registers instances of services under {@code /services}. */
  static final class Registrant implements AutoCloseable {
    final CuratorFramework client;
    final ServiceDiscovery<Void> discovery;

    Registrant(String connectString) throws Exception {
      this(connectString, "/services");
    }

    Registrant(String connectString, String basePath) throws Exception {
      this(connectString, basePath, 10_000);
    }

    Registrant(String connectString, String basePath, int sessionTimeoutMillis) throws Exception {
      client = client(connectString, sessionTimeoutMillis);
      discovery = ServiceDiscoveryBuilder.builder(Void.class).client(client).basePath(basePath).build();
      discovery.start();
    }

    /**
     * Registers an instance of {@code service} on 127.0.0.1 with the id {@code name@service}: one
     * ServiceDiscovery keeps its instances by id alone, so ids must differ across services.
     */
    ServiceInstance<Void> register(String service, String name, int port) throws Exception {
      ServiceInstance<Void> instance = ServiceInstance.<Void>builder()
          .name(service).id(name + "@" + service).address("127.0.0.1").port(port).build();
      discovery.registerService(instance);
      return instance;
    }

    void unregister(ServiceInstance<Void> instance) throws Exception {
      discovery.unregisterService(instance);
    }

    /** Ends as a crashed process does: the client goes, nothing is unregistered. */
    void crash() {
      client.close();
    }

    @Override
    public void close() throws IOException {
      discovery.close();
      client.close();
    }
  }
}
