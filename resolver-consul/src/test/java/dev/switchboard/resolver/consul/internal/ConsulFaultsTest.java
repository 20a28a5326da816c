package dev.switchboard.resolver.consul.internal;

import static dev.switchboard.resolver.consul.internal.ConsulResolverTest.awaitState;
import static dev.switchboard.resolver.consul.internal.ConsulResolverTest.ports;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.FakeResolverClientConn;
import dev.switchboard.channel.testing.Targets;
import dev.switchboard.resolver.consul.ConsulResolverOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a real agent will not do on demand, from {@link FakeAgent}: each fault is reported with a
 * Status naming the agent and what it answered, the last good addresses stay (no state is sent
 * meanwhile), and the watch recovers when the agent answers well again.
 */
class ConsulFaultsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String GOOD = FakeAgent.healthBody("orders", 1001, 1002);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private FakeAgent agent;
  private Resolver resolver;

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
    if (agent != null) {
      agent.close();
    }
    scheduler.shutdownNow();
  }

  private FakeResolverClientConn resolveThenBreak(FakeAgent.Answer fault) throws Exception {
    AtomicInteger healthQueries = new AtomicInteger();
    agent = new FakeAgent(uri -> {
      if (!uri.getPath().startsWith("/v1/health/")) {
        return FakeAgent.Answer.of(404, "1", "");
      }
      return healthQueries.incrementAndGet() == 1 ? FakeAgent.Answer.of(200, "10", GOOD) : fault;
    });
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolver = new ConsulResolverProvider(name -> null).newResolver(
        Targets.parse("consul://" + agent.address() + "/orders"), conn, ConsulResolverTest.args(scheduler,
            PluginOptions.newBuilder().set(ConsulResolverOptions.WAIT, Duration.ofSeconds(1)).build()));
    awaitState(conn, s -> ports(s).equals(List.of(1001, 1002)));
    return conn;
  }

  private void recovers(FakeResolverClientConn conn) throws InterruptedException {
    agent.answer(uri -> uri.getPath().startsWith("/v1/health/")
        ? FakeAgent.Answer.of(200, "20", FakeAgent.healthBody("orders", 1003)) : FakeAgent.Answer.of(404, "1", ""));
    awaitState(conn, s -> ports(s).equals(List.of(1003)));
  }

  private Status awaitErrorAndNoState(FakeResolverClientConn conn) throws InterruptedException {
    Status error = conn.awaitError(WAIT);
    assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(error.description()).hasValueSatisfying(d -> assertThat(d)
        .contains("consul target 'consul://" + agent.address() + "/orders'")
        .contains("consul agent http://" + agent.address() + ", GET /v1/health/service/orders"));
    assertThat(conn.states()).as("the last good state stays: nothing else sent").hasSize(1);
    return error;
  }

  @Test
  void aServerErrorIsReportedWithWhatTheAgentAnsweredAndTheWatchRecovers() throws Exception {
    FakeResolverClientConn conn = resolveThenBreak(FakeAgent.Answer.of(503, "11", "rpc error: No cluster leader"));
    assertThat(awaitErrorAndNoState(conn).description().orElseThrow())
        .contains("answered 503").contains("No cluster leader");
    recovers(conn);
  }

  @Test
  void aHungAnswerIsCutByTheReadTimeoutAboveTheWait() throws Exception {
    FakeResolverClientConn conn = resolveThenBreak(FakeAgent.Answer.hang());
    long start = System.nanoTime();
    assertThat(awaitErrorAndNoState(conn).description().orElseThrow())
        .contains("no answer within 4 s");
    // wait 1 s + 1/16 s + 3 s margin, not sooner (a blocking query may take the whole wait).
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    recovers(conn);
  }

  @Test
  void aBodyThatIsNotJsonIsReportedQuotingIt() throws Exception {
    FakeResolverClientConn conn = resolveThenBreak(FakeAgent.Answer.of(200, "11", "<html>proxy login</html>"));
    assertThat(awaitErrorAndNoState(conn).description().orElseThrow())
        .contains("answered a body that is not JSON: '<html>proxy login</html>'");
    recovers(conn);
  }

  @Test
  void aJsonBodyThatIsNotAnInstanceListIsReported() throws Exception {
    FakeResolverClientConn conn = resolveThenBreak(FakeAgent.Answer.of(200, "11", "{\"error\":\"nope\"}"));
    Status error = conn.awaitError(WAIT);
    assertThat(error.description().orElseThrow()).contains("the health answer is not a JSON array");
    assertThat(conn.states()).hasSize(1);
    recovers(conn);
  }

  @Test
  void anAnswerWithoutAnIndexHeaderIsReported() throws Exception {
    FakeResolverClientConn conn = resolveThenBreak(FakeAgent.Answer.of(200, null, GOOD));
    assertThat(awaitErrorAndNoState(conn).description().orElseThrow())
        .contains("answered without an X-Consul-Index header");
    recovers(conn);
  }

  @Test
  void aConnectionClosedWithoutAnAnswerIsReportedWithItsLikelyCauses() throws Exception {
    FakeResolverClientConn conn = resolveThenBreak(FakeAgent.Answer.close());
    assertThat(awaitErrorAndNoState(conn).description().orElseThrow())
        .contains("closed the connection unanswered").contains("limits.http_max_conns_per_client");
    recovers(conn);
  }

  @Test
  void anUnreachableAgentIsReportedNamingIt() throws Exception {
    FakeResolverClientConn conn = resolveThenBreak(FakeAgent.Answer.of(200, "10", GOOD));
    String address = agent.address();
    agent.close();
    // The long poll in flight ends unanswered; the retries find no one listening.
    Await.until("an error saying the agent cannot be reached", WAIT, () -> conn.errors().stream()
        .anyMatch(e -> e.description().orElse("").contains("cannot be reached")));
    assertThat(conn.errors()).allSatisfy(e -> assertThat(e.description().orElseThrow())
        .contains("consul agent http://" + address));
    assertThat(conn.states()).hasSize(1);
  }

  @Test
  void indexZeroIsQueriedAsOneAndTheLoopIsRateLimited() throws Exception {
    agent = new FakeAgent(uri -> uri.getPath().startsWith("/v1/health/")
        ? FakeAgent.Answer.of(200, "0", GOOD) : FakeAgent.Answer.of(404, "1", ""));
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolver = new ConsulResolverProvider(name -> null).newResolver(
        Targets.parse("consul://" + agent.address() + "/orders"), conn,
        ConsulResolverTest.args(scheduler, PluginOptions.NONE));
    awaitState(conn, s -> ports(s).equals(List.of(1001, 1002)));
    Await.until("a few queries", WAIT, () -> healthQueries().size() >= 5);
    List<URI> queries = healthQueries();
    assertThat(queries.get(0).getQuery()).doesNotContain("index=");
    assertThat(queries.subList(1, queries.size())).allSatisfy(q -> assertThat(q.getQuery()).contains("index=1"));
    long start = System.nanoTime();
    int before = healthQueries().size();
    Await.until("a second of queries", WAIT, () -> System.nanoTime() - start > 1_000_000_000L);
    // An agent that answers at once with index 0 is asked at most every 100 ms, not in a busy loop.
    assertThat(healthQueries().size() - before).isBetween(1, 12);
    assertThat(conn.states()).as("unchanged answers are not passed on").hasSize(1);
  }

  @Test
  void anIndexThatGoesBackwardsResetsTheQueryToAFreshRead() throws Exception {
    AtomicInteger n = new AtomicInteger();
    agent = new FakeAgent(uri -> {
      if (!uri.getPath().startsWith("/v1/health/")) {
        return FakeAgent.Answer.of(404, "1", "");
      }
      int i = n.incrementAndGet();
      return i == 1 ? FakeAgent.Answer.of(200, "100", GOOD)
          : i == 2 ? FakeAgent.Answer.of(200, "7", FakeAgent.healthBody("orders", 1003))
          : FakeAgent.Answer.of(200, "8", FakeAgent.healthBody("orders", 1003));
    });
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolver = new ConsulResolverProvider(name -> null).newResolver(
        Targets.parse("consul://" + agent.address() + "/orders"), conn,
        ConsulResolverTest.args(scheduler, PluginOptions.NONE));
    awaitState(conn, s -> ports(s).equals(List.of(1003)));
    Await.until("the query after the backwards index", WAIT, () -> healthQueries().size() >= 3);
    List<URI> queries = healthQueries();
    assertThat(queries.get(1).getQuery()).contains("index=100");
    assertThat(queries.get(2).getQuery()).doesNotContain("index=");
  }

  private List<URI> healthQueries() {
    return agent.requests().stream().filter(u -> u.getPath().startsWith("/v1/health/")).toList();
  }
}
