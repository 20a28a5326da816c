package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.testing.Dnsmasq;
import dev.switchboard.channel.testing.FakeResolverClientConn;
import dev.switchboard.resolver.dns.DnsResolverOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dns resolver against a real dnsmasq on loopback. */
class DnsResolverTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static ScheduledExecutorService scheduler;
  private final List<Resolver> resolvers = new ArrayList<>();
  private final List<Dnsmasq> servers = new ArrayList<>();

  @BeforeAll
  static void startScheduler() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dns-test-scheduler");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stopScheduler() {
    scheduler.shutdownNow();
  }

  @AfterEach
  void closeEverything() {
    resolvers.forEach(Resolver::close);
    servers.forEach(Dnsmasq::close);
  }

  private Dnsmasq dnsmasq() {
    Dnsmasq d = Dnsmasq.create();
    servers.add(d);
    return d;
  }

  /**
   * Splits {@code dns://authority/endpoint} without checking it as a URI, so that the DNS
   * resolver's own checks meet what the channel's parser would refuse first ({@code Targets.parse}
   * is the channel's parse).
   */
  static Target target(String s) {
    String rest = s.substring("dns:".length());
    if (!rest.startsWith("//")) {
      return Target.newBuilder("dns").endpoint(rest).pathAbsolute(false).original(s).build();
    }
    int slash = rest.indexOf('/', 2);
    return Target.newBuilder("dns").authority(rest.substring(2, slash)).endpoint(rest.substring(slash + 1))
        .original(s).build();
  }

  private static ResolverArgs args(PluginOptions options) {
    return ResolverArgs.newBuilder()
        .scheduler(scheduler)
        .offloadExecutor(Runnable::run)
        .options(options)
        .build();
  }

  /** A conn whose parser wraps the JSON unchanged, so a test sees which config was chosen. */
  private static FakeResolverClientConn conn() {
    return FakeResolverClientConn.withParser(json -> ConfigOrError.of(new JsonConfig(json)));
  }

  private record JsonConfig(String json) implements ServiceConfig {}

  private Resolver resolve(String target, FakeResolverClientConn conn, PluginOptions options) {
    Resolver r = new DnsResolverProvider().newResolver(target(target), conn, args(options));
    resolvers.add(r);
    return r;
  }

  private static InetSocketAddress at(String ip, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  private static List<Object> socketAddresses(ResolverState state) {
    return state.addresses().stream().map(a -> (Object) a.socketAddress()).toList();
  }

  @Test
  void resolvesIpv4AddressesFirstThenIpv6() throws Exception {
    Dnsmasq dns = dnsmasq()
        .host("echo.test", "::2", "127.0.0.11", "::1", "127.0.0.12", "127.0.0.13")
        .start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("echo.test:50051"), conn, PluginOptions.NONE);

    // dnsmasq rotates its answers, so only the order of the families is fixed.
    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(socketAddresses(state)).hasSize(5);
    assertThat(socketAddresses(state).subList(0, 3)).containsExactlyInAnyOrder(
        at("127.0.0.11", 50051), at("127.0.0.12", 50051), at("127.0.0.13", 50051));
    assertThat(socketAddresses(state).subList(3, 5))
        .containsExactlyInAnyOrder(at("::2", 50051), at("::1", 50051));
    assertThat(state.serviceConfig()).as("no TXT record: no config").isEmpty();
    assertThat(state.attributes().get(ResolverState.GRPCLB_BALANCER_ADDRESSES)).isEmpty();
    assertThat(conn.errors()).isEmpty();
  }

  @Test
  void portDefaultsToTheChannelsDefaultPort() throws Exception {
    Dnsmasq dns = dnsmasq().host("echo.test", "127.0.0.11").start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("echo.test"), conn, PluginOptions.NONE);

    assertThat(socketAddresses(conn.awaitState(TIMEOUT))).containsExactly(at("127.0.0.11", 443));
  }

  @Test
  void changedARecordIsPickedUpByResolveNow() throws Exception {
    Dnsmasq dns = dnsmasq().host("echo.test", "127.0.0.11").start();
    FakeResolverClientConn conn = conn();
    Resolver resolver = resolve(dns.target("echo.test:50051"), conn,
        PluginOptions.newBuilder().set(DnsResolverOptions.MIN_RESOLUTION_INTERVAL, Duration.ZERO).build());
    assertThat(socketAddresses(conn.awaitState(TIMEOUT))).containsExactly(at("127.0.0.11", 50051));

    dns.setHosts(Map.of("echo.test", List.of("127.0.0.12", "127.0.0.13")));
    resolver.resolveNow();

    List<ResolverState> states = conn.awaitStates(2, TIMEOUT);
    assertThat(socketAddresses(states.get(1)))
        .containsExactlyInAnyOrder(at("127.0.0.12", 50051), at("127.0.0.13", 50051));
  }

  @Test
  void srvRecordsGiveBalancerAddressesWithAuthorityOverride() throws Exception {
    Dnsmasq dns = dnsmasq()
        .host("echo.test", "127.0.0.11")
        .host("lb1.echo.test", "127.0.0.21", "::1")
        .host("lb2.echo.test", "127.0.0.22")
        .srv("_grpclb._tcp.echo.test", "lb1.echo.test", 9001)
        .srv("_grpclb._tcp.echo.test", "lb2.echo.test", 9002)
        .start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("echo.test:50051"), conn,
        PluginOptions.newBuilder().set(DnsResolverOptions.ENABLE_GRPCLB, true).build());

    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(socketAddresses(state)).containsExactly(at("127.0.0.11", 50051));
    assertThat(balancers(state)).containsExactlyInAnyOrder(
        Map.entry(at("127.0.0.21", 9001), "lb1.echo.test"),
        Map.entry(at("::1", 9001), "lb1.echo.test"),
        Map.entry(at("127.0.0.22", 9002), "lb2.echo.test"));
  }

  @Test
  void srvIsNotLookedUpUnlessEnabled() throws Exception {
    Dnsmasq dns = dnsmasq()
        .host("echo.test", "127.0.0.11")
        .host("lb1.echo.test", "127.0.0.21")
        .srv("_grpclb._tcp.echo.test", "lb1.echo.test", 9001)
        .start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("echo.test:50051"), conn, PluginOptions.NONE);

    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(state.attributes().get(ResolverState.GRPCLB_BALANCER_ADDRESSES)).isEmpty();
  }

  @Test
  void balancersAloneAreAStateWhenTheHostHasNoAddress() throws Exception {
    Dnsmasq dns = dnsmasq()
        .host("lb1.echo.test", "127.0.0.21")
        .srv("_grpclb._tcp.echo.test", "lb1.echo.test", 9001)
        .start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("echo.test:50051"), conn,
        PluginOptions.newBuilder().set(DnsResolverOptions.ENABLE_GRPCLB, true).build());

    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(state.addresses()).isEmpty();
    assertThat(balancers(state)).containsExactly(Map.entry(at("127.0.0.21", 9001), "lb1.echo.test"));
  }

  /** Returns each balancer address as its socket address and authority override. */
  private static List<Map.Entry<Object, String>> balancers(ResolverState state) {
    List<Address> balancers =
        state.attributes().get(ResolverState.GRPCLB_BALANCER_ADDRESSES).orElseThrow();
    return balancers.stream()
        .map(a -> Map.<Object, String>entry(
            a.socketAddress(), a.attributes().get(Address.AUTHORITY_OVERRIDE).orElseThrow()))
        .toList();
  }

  @Test
  void txtChoiceIsPickedByLanguagePercentageAndHostnameFromSplitStrings() throws Exception {
    String hostname = InetAddress.getLocalHost().getHostName();
    String chosen = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";
    String choices = "[{\"clientLanguage\":[\"go\",\"c++\"],\"serviceConfig\":{\"a\":1}},"
        + "{\"percentage\":0,\"serviceConfig\":{\"b\":2}},"
        + "{\"clientHostname\":[\"not-" + hostname + "\"],\"serviceConfig\":{\"c\":3}},"
        + "{\"clientLanguage\":[\"go\",\"JAVA\"],\"percentage\":100,\"clientHostname\":[\""
        + hostname + "\"],\"serviceConfig\":" + chosen + "},"
        + "{\"serviceConfig\":{\"e\":5}}]";
    String record = "grpc_config=" + choices;
    int third = record.length() / 3;
    Dnsmasq dns = dnsmasq()
        .host("echo.test", "127.0.0.11")
        .txt("_grpc_config.echo.test", "some other record")
        .txt("_grpc_config.echo.test",
            record.substring(0, third), record.substring(third, 2 * third), record.substring(2 * third))
        .start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("echo.test:50051"), conn, PluginOptions.NONE);

    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(socketAddresses(state)).containsExactly(at("127.0.0.11", 50051));
    assertThat(state.serviceConfig()).hasValueSatisfying(c ->
        assertThat(c.config().orElseThrow().json()).isEqualTo(chosen));
  }

  @Test
  void txtIsNotLookedUpWhenServiceConfigIsDisabled() throws Exception {
    Dnsmasq dns = dnsmasq()
        .host("echo.test", "127.0.0.11")
        .txt("_grpc_config.echo.test", "grpc_config=[{\"serviceConfig\":{}}]")
        .start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("echo.test:50051"), conn,
        PluginOptions.newBuilder().set(DnsResolverOptions.ENABLE_SERVICE_CONFIG, false).build());

    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(state.addresses()).hasSize(1);
    assertThat(state.serviceConfig()).isEmpty();
  }

  @Test
  void txtIsNotLookedUpWhenTheChannelIgnoresResolverServiceConfigs() throws Exception {
    Dnsmasq dns = dnsmasq()
        .host("echo.test", "127.0.0.11")
        .txt("_grpc_config.echo.test", "grpc_config=[{\"serviceConfig\":{}}]")
        .start();
    FakeResolverClientConn conn = conn();
    Resolver r = new DnsResolverProvider().newResolver(target(dns.target("echo.test:50051")), conn,
        args(PluginOptions.NONE).toBuilder().serviceConfigIgnored(true).build());
    resolvers.add(r);

    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(state.addresses()).hasSize(1);
    assertThat(state.serviceConfig()).isEmpty();
  }

  @Test
  void brokenTxtStillDeliversAddressesAndReportsTheConfigError() throws Exception {
    Dnsmasq dns = dnsmasq()
        .host("echo.test", "127.0.0.11")
        .txt("_grpc_config.echo.test", "grpc_config=[{\"serviceConfig\":{}")
        .start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("echo.test:50051"), conn, PluginOptions.NONE);

    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(socketAddresses(state)).containsExactly(at("127.0.0.11", 50051));
    Status error = state.serviceConfig().orElseThrow().status();
    assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(error.description()).hasValueSatisfying(d -> assertThat(d)
        .contains("_grpc_config.echo.test")
        .contains("not valid JSON"));
    assertThat(conn.errors()).isEmpty();
  }

  @Test
  void theChannelsParseErrorTravelsInTheStateWithTheAddresses() throws Exception {
    Dnsmasq dns = dnsmasq()
        .host("echo.test", "127.0.0.11")
        .txt("_grpc_config.echo.test", "grpc_config=[{\"serviceConfig\":{\"loadBalancingConfig\":5}}]")
        .start();
    Status parseError = Status.INVALID_ARGUMENT.withDescription("loadBalancingConfig: 5 (expected: a list)");
    FakeResolverClientConn conn = FakeResolverClientConn.withParser(json -> ConfigOrError.fromError(parseError));
    resolve(dns.target("echo.test:50051"), conn, PluginOptions.NONE);

    ResolverState state = conn.awaitState(TIMEOUT);
    assertThat(socketAddresses(state)).containsExactly(at("127.0.0.11", 50051));
    assertThat(state.serviceConfig().orElseThrow().status()).isSameAs(parseError);
  }

  @Test
  void nxdomainIsUnavailableNamingTheHost() {
    Dnsmasq dns = dnsmasq().host("echo.test", "127.0.0.11").start();
    FakeResolverClientConn conn = conn();
    resolve(dns.target("nope.test:50051"), conn, PluginOptions.NONE);

    Status error = conn.awaitError(TIMEOUT);
    assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(error.description()).hasValueSatisfying(d -> assertThat(d)
        .contains("'nope.test'")
        .contains("NXDOMAIN")
        .contains("127.0.0.1:" + dns.port()));
    assertThat(conn.states()).isEmpty();
  }

  @Test
  void serverThatDoesNotAnswerFailsWithinTheQueryTimeout() {
    Dnsmasq dns = dnsmasq().host("echo.test", "127.0.0.11").start();
    dns.stop();
    FakeResolverClientConn conn = conn();
    long start = System.nanoTime();
    resolve(dns.target("echo.test:50051"), conn,
        PluginOptions.newBuilder().set(DnsResolverOptions.QUERY_TIMEOUT, Duration.ofSeconds(1)).build());

    Status error = conn.awaitError(TIMEOUT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(error.description()).hasValueSatisfying(d -> assertThat(d)
        .contains("'echo.test'")
        .contains("timed out after 1000 ms"));
  }

  @Test
  void failedReResolutionReportsAnErrorAfterTheGoodState() throws Exception {
    Dnsmasq dns = dnsmasq().host("echo.test", "127.0.0.11").start();
    FakeResolverClientConn conn = conn();
    Resolver resolver = resolve(dns.target("echo.test:50051"), conn, PluginOptions.newBuilder()
        .set(DnsResolverOptions.MIN_RESOLUTION_INTERVAL, Duration.ZERO).set(DnsResolverOptions.QUERY_TIMEOUT, Duration.ofMillis(500)).build());
    conn.awaitState(TIMEOUT);

    dns.stop();
    resolver.resolveNow();

    assertThat(conn.awaitError(TIMEOUT).code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(conn.states()).as("no empty state replaces the good one").hasSize(1);
  }

  @Test
  void ipLiteralsAndLocalhostResolveInlineWithoutAQuery() throws Exception {
    // The DNS server named here does not exist: any query would time out.
    String server = "dns://127.0.0.1:9/";
    FakeResolverClientConn v4 = conn();
    resolve(server + "10.0.0.1:80", v4, PluginOptions.NONE);
    FakeResolverClientConn v6 = conn();
    resolve(server + "[::1]:8080", v6, PluginOptions.NONE);
    FakeResolverClientConn bareV6 = conn();
    resolve("dns:///fe80::1", bareV6, PluginOptions.NONE);
    FakeResolverClientConn localhost = conn();
    resolve(server + "localhost:9000", localhost, PluginOptions.NONE);

    assertThat(v4.states()).singleElement()
        .satisfies(s -> assertThat(socketAddresses(s)).containsExactly(at("10.0.0.1", 80)));
    assertThat(v6.states()).singleElement()
        .satisfies(s -> assertThat(socketAddresses(s)).containsExactly(at("::1", 8080)));
    assertThat(bareV6.states()).singleElement()
        .satisfies(s -> assertThat(socketAddresses(s)).containsExactly(at("fe80::1", 443)));
    assertThat(localhost.states()).singleElement().satisfies(s -> assertThat(socketAddresses(s))
        .containsExactly(at("127.0.0.1", 9000), at("::1", 9000)));
  }
}
