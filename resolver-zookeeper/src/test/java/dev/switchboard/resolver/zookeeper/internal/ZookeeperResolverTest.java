package dev.switchboard.resolver.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Endpoint;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.FakeResolverClientConn;
import dev.switchboard.channel.testing.Targets;
import dev.switchboard.resolver.zookeeper.ZookeeperAttributes;
import dev.switchboard.resolver.zookeeper.ZookeeperResolverOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resolver against a real ZooKeeper, written to by curator-x-discovery as applications do. */
class ZookeeperResolverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static TestingServer server;
  private static ZooKeeperPeer.Registrant registrant;
  private static CuratorFramework writer;
  private static int serviceCounter;

  private final ZooKeeperPeer.Threads threads = new ZooKeeperPeer.Threads();
  private final List<Resolver> resolvers = new ArrayList<>();
  private String service;

  @BeforeAll
  static void startZookeeper() throws Exception {
    server = ZooKeeperPeer.start();
    registrant = new ZooKeeperPeer.Registrant(server.getConnectString());
    writer = ZooKeeperPeer.client(server.getConnectString());
  }

  @AfterAll
  static void stopZookeeper() throws Exception {
    writer.close();
    registrant.close();
    server.close();
  }

  @AfterEach
  void closeResolvers() {
    resolvers.forEach(Resolver::close);
    threads.close();
  }

  /** A service of this test's own. */
  private String newService() {
    service = "svc" + (++serviceCounter);
    return service;
  }

  private String target(String service) {
    return "zk://127.0.0.1:" + server.getPort() + "/services/" + service;
  }

  private Resolver resolve(String target, FakeResolverClientConn conn, PluginOptions options) {
    Resolver resolver = new ZookeeperResolverProvider().newResolver(Targets.parse(target), conn,
        ZooKeeperPeer.args(threads, options));
    resolvers.add(resolver);
    return resolver;
  }

  private Resolver resolve(FakeResolverClientConn conn) {
    return resolve(target(service), conn, PluginOptions.NONE);
  }

  private static List<Integer> ports(ResolverState state) {
    return Endpoint.flatten(state.endpoints()).stream()
        .map(a -> ((InetSocketAddress) a.socketAddress()).getPort()).toList();
  }

  private static ResolverState awaitState(FakeResolverClientConn conn, Predicate<ResolverState> condition)
      throws InterruptedException {
    try {
      Await.until("a state that matches", WAIT, () -> conn.states().stream().anyMatch(condition));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; states: " + conn.states(), e);
    }
    List<ResolverState> states = conn.states();
    return states.get(states.size() - 1);
  }

  @Test
  void registrationsAndUnregistrationsReachTheChannelAsTheyHappen() throws Exception {
    newService();
    ServiceInstance<Void> a = registrant.register(service, "a", 1001);
    registrant.register(service, "b", 1002);
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(conn);
    assertThat(ports(conn.awaitState(WAIT))).containsExactlyInAnyOrder(1001, 1002);

    ServiceInstance<Void> c = registrant.register(service, "c", 1003);
    awaitState(conn, s -> ports(s).size() == 3);
    registrant.unregister(a);
    ResolverState last = awaitState(conn, s -> ports(s).equals(List.of(1002, 1003)));
    assertThat(Endpoint.flatten(last.endpoints()))
        .extracting(address -> address.balancerAttributes().get(ZookeeperAttributes.INSTANCE_ID).orElseThrow())
        .containsExactly("b@" + service, "c@" + service);
    registrant.unregister(c);
    awaitState(conn, s -> ports(s).equals(List.of(1002)));
    assertThat(conn.errors()).isEmpty();
  }

  @Test
  void aRegistrantWhoseSessionExpiresIsGoneFromTheState() throws Exception {
    newService();
    registrant.register(service, "stays", 1001);
    // The registrant reaches ZooKeeper through a proxy that the test cuts for good: its session
    // expires on the server (which deletes its ephemeral instance) and it cannot register again.
    try (TcpProxy proxy = new TcpProxy(server.getPort())) {
      ZooKeeperPeer.Registrant leaving = new ZooKeeperPeer.Registrant("127.0.0.1:" + proxy.port(),
          "/services", 2_000);
      try {
        leaving.register(service, "leaves", 1002);
        FakeResolverClientConn conn = FakeResolverClientConn.create();
        resolve(conn);
        awaitState(conn, s -> ports(s).size() == 2);

        proxy.cut();

        awaitState(conn, s -> ports(s).equals(List.of(1001)));
      } finally {
        leaving.crash();
      }
    }
  }

  @Test
  void aServiceWithNoZnodeIsAnEmptyStateNotAnErrorAndFillsWhenRegistered() throws Exception {
    newService();
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(conn);
    assertThat(conn.awaitState(WAIT).endpoints()).isEmpty();
    registrant.register(service, "first", 1001);
    awaitState(conn, s -> ports(s).equals(List.of(1001)));
    assertThat(conn.errors()).isEmpty();
  }

  @Test
  void corruptInstancesAreSkippedAndNamedWhileTheOthersAreUsed() throws Exception {
    newService();
    registrant.register(service, "good", 1001);
    String base = "/services/" + service;
    writer.create().forPath(base + "/broken-json", "{\"address\":".getBytes(StandardCharsets.UTF_8));
    writer.create().forPath(base + "/no-port", "{\"address\":\"127.0.0.1\"}".getBytes(StandardCharsets.UTF_8));
    writer.create().forPath(base + "/disabled",
        "{\"address\":\"127.0.0.1\",\"port\":1009,\"enabled\":false}".getBytes(StandardCharsets.UTF_8));
    writer.create().forPath(base + "/unknown-host",
        "{\"address\":\"no-such-host.invalid\",\"port\":1010}".getBytes(StandardCharsets.UTF_8));
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(conn);

    ResolverState state = conn.awaitState(WAIT);

    assertThat(ports(state)).containsExactly(1001);
    assertThat(state.attributes().get(ZookeeperAttributes.SKIPPED_INSTANCES)).hasValueSatisfying(skipped ->
        assertThat(skipped).satisfiesExactly(
            s -> assertThat(s).startsWith(base + "/broken-json: not JSON"),
            s -> assertThat(s).isEqualTo(base + "/no-port: no port"),
            s -> assertThat(s).isEqualTo(base + "/unknown-host: address 'no-such-host.invalid' is unknown to DNS")));

    writer.setData().forPath(base + "/no-port", "{\"address\":\"127.0.0.1\",\"port\":1002}"
        .getBytes(StandardCharsets.UTF_8));
    awaitState(conn, s -> ports(s).equals(List.of(1001, 1002)));
  }

  @Test
  void theServiceZnodesJsonIsTheServiceConfigAndABrokenOneAConfigErrorWhileAddressesFlow() throws Exception {
    newService();
    registrant.register(service, "a", 1001);
    String znode = "/services/" + service;
    writer.setData().forPath(znode,
        "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}".getBytes(StandardCharsets.UTF_8));
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(conn);
    ResolverState first = conn.awaitState(WAIT);
    assertThat(first.serviceConfig()).hasValueSatisfying(c -> assertThat(c.isOk()).isTrue());

    writer.setData().forPath(znode, "{\"loadBalancingConfig\":7}".getBytes(StandardCharsets.UTF_8));
    registrant.register(service, "b", 1002);
    ResolverState broken = awaitState(conn, s -> s.serviceConfig().map(c -> !c.isOk()).orElse(false)
        && ports(s).size() == 2);
    assertThat(broken.serviceConfig().get().status().description())
        .hasValueSatisfying(d -> assertThat(d).startsWith("service config in znode " + znode + ": "));

    writer.setData().forPath(znode, "10.0.0.1".getBytes(StandardCharsets.UTF_8)); // Curator's default data
    awaitState(conn, s -> s.serviceConfig().isEmpty());
  }

  @Test
  void aChannelThatIgnoresServiceConfigsGetsNone() throws Exception {
    newService();
    writer.create().creatingParentsIfNeeded().forPath("/services/" + service,
        "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}".getBytes(StandardCharsets.UTF_8));
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    Resolver resolver = new ZookeeperResolverProvider().newResolver(Targets.parse(target(service)), conn,
        ZooKeeperPeer.args(threads, PluginOptions.NONE).toBuilder().serviceConfigIgnored(true).build());
    resolvers.add(resolver);
    assertThat(conn.awaitState(WAIT).serviceConfig()).isEmpty();
  }

  @Test
  void resolveNowStormsReadNothingFromZookeeperAndReportAtMostOncePerInterval() throws Exception {
    newService();
    registrant.register(service, "a", 1001);
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    Resolver resolver = resolve(conn);
    conn.awaitState(WAIT);
    long packetsBefore = ZooKeeperPeer.packetsReceived(server.getPort());
    long start = System.nanoTime();

    ExecutorService callers = Executors.newFixedThreadPool(4);
    CountDownLatch done = new CountDownLatch(4);
    for (int t = 0; t < 4; t++) {
      callers.execute(() -> {
        for (int i = 0; i < 2_500; i++) {
          resolver.resolveNow();
        }
        done.countDown();
      });
    }
    done.await();
    callers.shutdown();
    // The first resolveNow reports at once; the others in the next second make one more report.
    Await.until("the deferred report", WAIT, () -> conn.states().size() >= 2);
    long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;

    assertThat(conn.states().size()).isLessThanOrEqualTo(1 + 2 + (int) elapsedSeconds);
    // Pings of this test's sessions may arrive meanwhile; 10 000 reads would be 10 000 packets.
    assertThat(ZooKeeperPeer.packetsReceived(server.getPort()) - packetsBefore).isLessThan(20);
  }

  @Test
  void nothingIsReportedAfterClose() throws Exception {
    newService();
    registrant.register(service, "a", 1001);
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    Resolver resolver = resolve(conn);
    conn.awaitState(WAIT);
    int events = conn.eventCount();
    resolver.close();
    registrant.register(service, "b", 1002);
    resolver.resolveNow();
    conn.assertNoEventsAfter(events, Duration.ofMillis(500));
  }

  @Test
  void anUnreachableEnsembleIsReportedUnavailableAfterTheConnectionTimeout() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    String target = "zk://127.0.0.1:" + closedPort + "/services/orders";
    resolve(target, conn, PluginOptions.newBuilder()
        .set(ZookeeperResolverOptions.CONNECTION_TIMEOUT, Duration.ofMillis(300)).build());

    Status error = conn.awaitError(WAIT);

    assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(error.description()).hasValueSatisfying(d -> assertThat(d)
        .contains("'" + target + "'").contains("127.0.0.1:" + closedPort).contains("nothing read"));
    assertThat(conn.states()).isEmpty();
  }

  @Test
  void differentTimeoutsOrChrootsGetSessionsOfTheirOwn() throws Exception {
    int sessionsBefore = ZookeeperSessions.openSessions();
    newService();
    writer.create().creatingParentsIfNeeded().forPath("/apps/prod/services/" + service);
    FakeResolverClientConn plain = FakeResolverClientConn.create();
    FakeResolverClientConn chrooted = FakeResolverClientConn.create();
    FakeResolverClientConn shortSession = FakeResolverClientConn.create();
    resolve(target(service), plain, PluginOptions.NONE);
    resolve(target(service), chrooted, PluginOptions.newBuilder()
        .set(ZookeeperResolverOptions.CHROOT, "/apps/prod").build());
    resolve(target(service), shortSession, PluginOptions.newBuilder()
        .set(ZookeeperResolverOptions.SESSION_TIMEOUT, Duration.ofSeconds(5)).build());
    registrant.register(service, "a", 1001);
    try (ZooKeeperPeer.Registrant prod = new ZooKeeperPeer.Registrant(server.getConnectString() + "/apps/prod")) {
      prod.register(service, "p", 2001);
      awaitState(plain, s -> ports(s).equals(List.of(1001)));
      awaitState(shortSession, s -> ports(s).equals(List.of(1001)));
      awaitState(chrooted, s -> ports(s).equals(List.of(2001)));
      assertThat(ZookeeperSessions.openSessions()).isEqualTo(sessionsBefore + 3);
    }
  }

  @Test
  void theEnsembleOfATargetWithoutOneComesFromTheOptionThenThePropertyThenTheEnvironment() throws Exception {
    newService();
    registrant.register(service, "a", 1001);
    String ensemble = "127.0.0.1:" + server.getPort();
    String target = "zk:///services/" + service;
    Map<String, String> none = Map.of();

    FakeResolverClientConn fromOption = FakeResolverClientConn.create();
    resolvers.add(new ZookeeperResolverProvider(none::get, Map.of(ZookeeperResolverOptions.ENSEMBLE_VARIABLE,
        "127.0.0.1:1")::get).newResolver(Targets.parse(target), fromOption, ZooKeeperPeer.args(threads,
        PluginOptions.newBuilder().set(ZookeeperResolverOptions.ENSEMBLE, ensemble).build())));
    FakeResolverClientConn fromProperty = FakeResolverClientConn.create();
    resolvers.add(new ZookeeperResolverProvider(Map.of(ZookeeperResolverOptions.ENSEMBLE_PROPERTY, ensemble)::get,
        Map.of(ZookeeperResolverOptions.ENSEMBLE_VARIABLE, "127.0.0.1:1")::get)
        .newResolver(Targets.parse(target), fromProperty, ZooKeeperPeer.args(threads, PluginOptions.NONE)));
    FakeResolverClientConn fromEnvironment = FakeResolverClientConn.create();
    resolvers.add(new ZookeeperResolverProvider(none::get,
        Map.of(ZookeeperResolverOptions.ENSEMBLE_VARIABLE, ensemble)::get)
        .newResolver(Targets.parse(target), fromEnvironment, ZooKeeperPeer.args(threads, PluginOptions.NONE)));

    for (FakeResolverClientConn conn : List.of(fromOption, fromProperty, fromEnvironment)) {
      assertThat(ports(conn.awaitState(WAIT))).containsExactly(1001);
    }
    assertThatThrownBy(() -> new ZookeeperResolverProvider(none::get, none::get)
        .newResolver(Targets.parse(target), FakeResolverClientConn.create(),
            ZooKeeperPeer.args(threads, PluginOptions.NONE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + target + "'")
        .hasMessageContaining("no ZooKeeper ensemble")
        .hasMessageContaining(ZookeeperResolverOptions.ENSEMBLE_PROPERTY);
    assertThatThrownBy(() -> new ZookeeperResolverProvider(none::get, none::get)
        .newResolver(Targets.parse(target), FakeResolverClientConn.create(), ZooKeeperPeer.args(threads,
            PluginOptions.newBuilder().set(ZookeeperResolverOptions.ENSEMBLE, "zk1:99999").build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option zk.ensemble")
        .hasMessageContaining("'zk1:99999'");
  }

  @Test
  void badOptionValuesAreRefusedNamingTheOption() {
    for (PluginOptions options : List.of(
        PluginOptions.newBuilder().set(ZookeeperResolverOptions.SESSION_TIMEOUT, Duration.ZERO).build(),
        PluginOptions.newBuilder().set(ZookeeperResolverOptions.CONNECTION_TIMEOUT, Duration.ofMillis(-1)).build(),
        PluginOptions.newBuilder().set(ZookeeperResolverOptions.CHROOT, "apps/").build())) {
      assertThatThrownBy(() -> resolve("zk://127.0.0.1:2181/services/x", FakeResolverClientConn.create(), options))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("option zk.");
    }
  }

  @Test
  void aChangeOfMetadataAloneIsReported() throws Exception {
    newService();
    String znode = "/services/" + service + "/m";
    writer.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(znode,
        "{\"address\":\"127.0.0.1\",\"port\":1001,\"payload\":{\"zone\":\"a\"}}".getBytes(StandardCharsets.UTF_8));
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(conn);
    conn.awaitState(WAIT);
    writer.setData().forPath(znode,
        "{\"address\":\"127.0.0.1\",\"port\":1001,\"payload\":{\"zone\":\"b\"}}".getBytes(StandardCharsets.UTF_8));
    awaitState(conn, s -> Set.of("b").equals(Set.copyOf(Endpoint.flatten(s.endpoints()).stream()
        .map(a -> a.balancerAttributes().get(ZookeeperAttributes.ZONE).orElse("")).toList())));
  }
}
