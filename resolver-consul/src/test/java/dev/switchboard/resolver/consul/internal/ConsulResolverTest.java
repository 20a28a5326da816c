package dev.switchboard.resolver.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.FakeResolverClientConn;
import dev.switchboard.channel.testing.Targets;
import dev.switchboard.resolver.consul.ConsulAttributes;
import dev.switchboard.resolver.consul.ConsulResolverOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resolver against a real Consul agent, registered to over its HTTP API as services do. */
class ConsulResolverTest {

  static final Duration WAIT = Duration.ofSeconds(15);

  private static ConsulAgentProcess agent;
  private static int serviceCounter;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<Resolver> resolvers = new ArrayList<>();
  private String service;

  @BeforeAll
  static void startAgent() throws Exception {
    agent = ConsulAgentProcess.start();
  }

  @AfterAll
  static void stopAgent() throws Exception {
    agent.close();
  }

  @AfterEach
  void closeResolvers() {
    resolvers.forEach(Resolver::close);
    scheduler.shutdownNow();
  }

  private String newService() {
    service = "svc" + (++serviceCounter);
    return service;
  }

  static ResolverArgs args(ScheduledExecutorService scheduler, PluginOptions options) {
    return ResolverArgs.newBuilder().scheduler(scheduler).offloadExecutor(scheduler).options(options).build();
  }

  private Resolver resolve(String target, FakeResolverClientConn conn, PluginOptions options) {
    Resolver resolver = new ConsulResolverProvider(name -> null).newResolver(Targets.parse(target), conn,
        args(scheduler, options));
    resolvers.add(resolver);
    return resolver;
  }

  private String target(String query) {
    return "consul://" + agent.address() + "/" + service + (query.isEmpty() ? "" : "?" + query);
  }

  static List<Integer> ports(ResolverState state) {
    return Endpoint.flatten(state.endpoints()).stream()
        .map(a -> ((InetSocketAddress) a.socketAddress()).getPort()).sorted().toList();
  }

  static ResolverState awaitState(FakeResolverClientConn conn, Predicate<ResolverState> condition)
      throws InterruptedException {
    try {
      Await.until("a state that matches", WAIT, () -> conn.states().stream().anyMatch(condition));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; events: " + conn.events(), e);
    }
    return conn.states().stream().filter(condition).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void registrationsAndDeregistrationsReachTheChannelWithTheirAttributes() throws Exception {
    newService();
    agent.register(service, service + "-a", 1001,
        "\"Tags\":[\"grpc\"],\"Meta\":{\"zone\":\"z1\"},\"Weights\":{\"Passing\":7,\"Warning\":1}");
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(target(""), conn, PluginOptions.NONE);
    ResolverState first = awaitState(conn, s -> ports(s).equals(List.of(1001)));
    Address a = Endpoint.flatten(first.endpoints()).get(0);
    assertThat(a.balancerAttributes().get(ConsulAttributes.SERVICE_ID)).contains(service + "-a");
    assertThat(a.balancerAttributes().get(ConsulAttributes.WEIGHT)).contains(7);
    assertThat(a.balancerAttributes().get(ConsulAttributes.META)).contains(Map.of("zone", "z1"));
    assertThat(a.balancerAttributes().get(ConsulAttributes.TAGS)).contains(List.of("grpc"));
    assertThat(a.balancerAttributes().get(ConsulAttributes.DATACENTER)).contains("dc1");
    assertThat(a.balancerAttributes().get(ConsulAttributes.NODE)).contains("switchboard-test");
    assertThat(a.attributes().isEmpty()).isTrue();

    agent.register(service, service + "-b", 1002, "");
    awaitState(conn, s -> ports(s).equals(List.of(1001, 1002)));
    agent.deregister(service + "-a");
    awaitState(conn, s -> ports(s).equals(List.of(1002)));
    assertThat(conn.errors()).isEmpty();
  }

  @Test
  void aFailingCheckDropsTheInstanceAndPassingBringsItBack() throws Exception {
    newService();
    agent.register(service, service + "-a", 1001, "");
    agent.register(service, service + "-b", 1002, "");
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(target(""), conn, PluginOptions.NONE);
    awaitState(conn, s -> ports(s).equals(List.of(1001, 1002)));

    agent.failCheck(service + "-a");
    awaitState(conn, s -> ports(s).equals(List.of(1002)));
    agent.passCheck(service + "-a");
    awaitState(conn, s -> ports(s).equals(List.of(1001, 1002)));
  }

  @Test
  void whenNoneIsPassingTheFallbackUsesAllAndMarksThem() throws Exception {
    newService();
    agent.register(service, service + "-a", 1001, "");
    agent.failCheck(service + "-a");
    FakeResolverClientConn strict = FakeResolverClientConn.create();
    FakeResolverClientConn fallback = FakeResolverClientConn.create();
    resolve(target(""), strict, PluginOptions.NONE);
    resolve(target(""), fallback, PluginOptions.newBuilder().set(ConsulResolverOptions.FALLBACK_TO_ALL, true).build());

    assertThat(awaitState(strict, s -> true).endpoints()).isEmpty();
    ResolverState all = awaitState(fallback, s -> ports(s).equals(List.of(1001)));
    assertThat(Endpoint.flatten(all.endpoints()).get(0).balancerAttributes().get(ConsulAttributes.PASSING))
        .contains(false);
  }

  @Test
  void tagsFilterTheInstances() throws Exception {
    newService();
    agent.register(service, service + "-a", 1001, "\"Tags\":[\"grpc\",\"v2\"]");
    agent.register(service, service + "-b", 1002, "\"Tags\":[\"grpc\"]");
    agent.register(service, service + "-c", 1003, "\"Tags\":[\"http\"]");
    FakeResolverClientConn grpc = FakeResolverClientConn.create();
    FakeResolverClientConn both = FakeResolverClientConn.create();
    resolve(target("tag=grpc"), grpc, PluginOptions.NONE);
    resolve(target("tag=grpc&tag=v2"), both, PluginOptions.NONE);
    awaitState(grpc, s -> ports(s).equals(List.of(1001, 1002)));
    awaitState(both, s -> ports(s).equals(List.of(1001)));
  }

  @Test
  void theAgentsDatacenterResolvesAndAnUnknownOneIsAnErrorNamingTheAgentAndItsAnswer() throws Exception {
    newService();
    agent.register(service, service + "-a", 1001, "");
    FakeResolverClientConn dc1 = FakeResolverClientConn.create();
    resolve(target("dc=dc1"), dc1, PluginOptions.NONE);
    awaitState(dc1, s -> ports(s).equals(List.of(1001)));

    FakeResolverClientConn elsewhere = FakeResolverClientConn.create();
    resolve(target("dc=mars"), elsewhere, PluginOptions.NONE);
    Status error = elsewhere.awaitError(WAIT);
    assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(error.description()).hasValueSatisfying(d -> assertThat(d)
        .contains("consul agent http://" + agent.address())
        .contains("answered 500")
        .contains("No path to datacenter"));
  }

  @Test
  void theServiceConfigInKvIsAddedChangedBrokenAndRemovedWhileAddressesFlow() throws Exception {
    newService();
    agent.register(service, service + "-a", 1001, "");
    String key = "grpc/service-config/" + service;
    agent.putKv(key, "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}");
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(target(""), conn, PluginOptions.NONE);
    ResolverState first = awaitState(conn, s -> true);
    assertThat(first.serviceConfig()).hasValueSatisfying(c -> assertThat(c.isOk()).isTrue());
    assertThat(ports(first)).containsExactly(1001);

    agent.putKv(key, "{\"loadBalancingConfig\":[{\"pick_first\":{}}],\"methodConfig\":[]}");
    awaitState(conn, s -> s.serviceConfig().map(c -> c.isOk()
        && c.config().orElseThrow().toString().contains("pick_first")).orElse(false));

    agent.putKv(key, "{\"loadBalancingConfig\":7}");
    agent.register(service, service + "-b", 1002, "");
    ResolverState broken = awaitState(conn, s -> s.serviceConfig().map(c -> !c.isOk()).orElse(false)
        && ports(s).size() == 2);
    assertThat(broken.serviceConfig().get().status().description()).hasValueSatisfying(d -> assertThat(d)
        .startsWith("service config in consul KV key " + key + ": "));

    agent.deleteKv(key);
    awaitState(conn, s -> s.serviceConfig().isEmpty() && ports(s).size() == 2);
  }

  @Test
  void aConfigKeyNamedInTheTargetIsUsed() throws Exception {
    newService();
    agent.register(service, service + "-a", 1001, "");
    agent.putKv("teams/orders/" + service, "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}");
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(target("config=teams/orders/" + service), conn, PluginOptions.NONE);
    assertThat(awaitState(conn, s -> true).serviceConfig()).hasValueSatisfying(c -> assertThat(c.isOk()).isTrue());
  }

  @Test
  void anEmptyServiceIsAnEmptyStateNotAnError() throws Exception {
    newService();
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(target(""), conn, PluginOptions.NONE);
    assertThat(conn.awaitState(WAIT).endpoints()).isEmpty();
    agent.register(service, service + "-a", 1001, "");
    awaitState(conn, s -> ports(s).equals(List.of(1001)));
    assertThat(conn.errors()).isEmpty();
  }

  @Test
  void theAgentRestartedWithItsIndexGoingBackwardsIsFollowed() throws Exception {
    newService();
    // Raise the index well above what a fresh agent starts with.
    for (int i = 0; i < 30; i++) {
      agent.putKv("filler/" + i, "x");
    }
    agent.register(service, service + "-a", 1001, "");
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolve(target(""), conn, PluginOptions.NONE);
    awaitState(conn, s -> ports(s).equals(List.of(1001)));

    agent.restart();
    agent.register(service, service + "-b", 1002, "");

    // The catalog is new (only b), its index lower than the last one seen: the watch resets to 0.
    awaitState(conn, s -> ports(s).equals(List.of(1002)));
  }

  @Test
  void servicesOfOneAgentShareOneWatchOfTheDefaultConfigFolderAndSeeOnlyTheirOwnKey() throws Exception {
    String a = newService();
    agent.register(a, a + "-1", 1001, "");
    String b = newService();
    agent.register(b, b + "-1", 1002, "");
    agent.putKv("grpc/service-config/" + a, "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}");
    FakeResolverClientConn connA = FakeResolverClientConn.create();
    FakeResolverClientConn connB = FakeResolverClientConn.create();
    resolve("consul://" + agent.address() + "/" + a, connA, PluginOptions.NONE);
    resolve("consul://" + agent.address() + "/" + b, connB, PluginOptions.NONE);
    assertThat(awaitState(connA, s -> true).serviceConfig()).isPresent();
    assertThat(awaitState(connB, s -> true).serviceConfig()).isEmpty();
    assertThat(BlockingWatch.openWatches()).as("two health watches, one KV folder watch").isEqualTo(3);

    int eventsOfB = connB.eventCount();
    agent.putKv("grpc/service-config/" + a, "{\"loadBalancingConfig\":[{\"pick_first\":{}}]}");
    awaitState(connA, s -> s.serviceConfig().map(c -> c.config().orElseThrow().toString().contains("pick_first"))
        .orElse(false));
    connB.assertNoEventsAfter(eventsOfB, Duration.ofMillis(500));
  }
}
