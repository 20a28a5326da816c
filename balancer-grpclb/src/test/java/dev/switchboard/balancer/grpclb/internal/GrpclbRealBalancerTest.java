package dev.switchboard.balancer.grpclb.internal;

import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.backend;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.drop;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.fallback;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.initial;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.serverList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.testing.Await;
import io.grpc.lb.v1.ClientStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * grpclb against a real balancer (grpc-java's {@code LoadBalancerImplBase} on a Netty server) and
 * real grpc-java backends, over loopback; the channel's timers run on a manual clock.
 */
class GrpclbRealBalancerTest {
  private static final CallOptions WAIT = CallOptions.DEFAULT.withWaitForReady();
  private static final Duration TEN_S = Duration.ofSeconds(10);

  private final GrpclbFixture f = new GrpclbFixture(3);

  @AfterEach
  void close() {
    f.close();
  }

  private void awaitSpreadOver(int backends) {
    long deadline = System.nanoTime() + TEN_S.toNanos();
    // Backends only: a dropped call's "status:…" is no backend (counted as one, a list with drops
    // let a test start while one backend was still connecting: CI saw b0 1, b1 20 of 40).
    while (f.spread(backends * 2, WAIT).keySet().stream().filter(k -> !k.startsWith("status:")).count() < backends) {
      assertThat(System.nanoTime()).as("calls reaching all %s backends", backends).isLessThan(deadline);
    }
  }

  @Test
  void serverListSpreadsCallsOverItsBackendsEachWithExactlyItsOwnToken() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO),
        serverList(backend(f.backend(0).address(), "t0"), backend(f.backend(1).address(), "t1")));
    f.channel("{\"serviceName\":\"echo.test\"}", List.of(f.backend(2)));
    awaitSpreadOver(2);
    f.backends.forEach(GrpcBackend::clear);

    Map<String, Integer> spread = f.spread(20, WAIT);

    assertThat(spread).containsOnly(Map.entry("b0", 10), Map.entry("b1", 10));
    assertThat(f.backend(0).tokens()).hasSize(10).allSatisfy(t -> assertThat(t).containsExactly("t0"));
    assertThat(f.backend(1).tokens()).hasSize(10).allSatisfy(t -> assertThat(t).containsExactly("t1"));
    assertThat(f.balancer.names()).containsExactly("echo.test");
    assertThat(f.balancer.authorities()).as("the balancer's own authority").containsExactly(GrpclbFixture.BALANCER_AUTHORITY);
  }

  @Test
  void pickFirstChildSendsEveryCallToTheFirstListedBackendWithItsToken() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(drop("d"),
        backend(f.backend(0).address(), "t0"), backend(f.backend(1).address(), "t1")));
    f.channel("{\"childPolicy\":[{\"pick_first\":{}}]}", List.of(f.backend(2)));

    Await.until("a call served", TEN_S, () -> f.call(WAIT).equals("b0"));

    Map<String, Integer> spread = f.spread(30, WAIT);

    assertThat(spread).containsOnlyKeys("b0", "status:UNAVAILABLE:dropped");
    assertThat(spread.get("status:UNAVAILABLE:dropped")).as("one turn in three dropped").isBetween(9, 11);
    assertThat(f.backend(0).tokens()).allSatisfy(t -> assertThat(t).containsExactly("t0"));
    assertThat(f.backend(1).calls()).isZero();
  }

  @Test
  void pickFirstChildSendsTheTokenOfTheServerItConnectedToNotOfTheFirstListed() throws Exception {
    f.backend(0).stop(); // the first listed server refuses: pick_first connects to the second
    f.balancer.onConnect(initial(Duration.ZERO),
        serverList(backend(f.backend(0).address(), "t0"), backend(f.backend(1).address(), "t1")));
    f.channel("{\"childPolicy\":[{\"pick_first\":{}}]}", List.of(f.backend(2)));

    assertThat(f.spread(5, WAIT)).containsOnly(Map.entry("b1", 5));

    assertThat(f.backend(1).tokens()).hasSize(5).allSatisfy(t -> assertThat(t).containsExactly("t1"));
  }

  @Test
  void initialRequestNamesTheChannelAuthorityWithoutServiceName() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.channel("{}", List.of());
    assertThat(f.call(WAIT)).isEqualTo("b0");
    assertThat(f.balancer.names()).containsExactly(f.channel.authority());
  }

  @Test
  void serverListUpdateMovesCallsToTheNewBackendsAndTokens() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.channel("{}", List.of());
    assertThat(f.call(WAIT)).isEqualTo("b0");

    f.balancer.send(serverList(backend(f.backend(1).address(), "t1"), backend(f.backend(2).address(), "t2")));
    Await.until("calls moved off b0", TEN_S, () -> !f.call(WAIT).equals("b0"));
    awaitSpreadOver(2);
    f.backends.forEach(GrpcBackend::clear);

    assertThat(f.spread(10, WAIT)).containsOnly(Map.entry("b1", 5), Map.entry("b2", 5));
    assertThat(f.backend(1).tokens()).allSatisfy(t -> assertThat(t).containsExactly("t1"));
    assertThat(f.backend(2).tokens()).allSatisfy(t -> assertThat(t).containsExactly("t2"));
    assertThat(f.backend(0).calls()).isZero();
  }

  @Test
  void serverEntriesWithABadAddressOrPortOrTokenAreSkippedOrTokenlessAndTheRestServe() throws Exception {
    io.grpc.lb.v1.Server fiveByteIp = io.grpc.lb.v1.Server.newBuilder()
        .setIpAddress(com.google.protobuf.ByteString.copyFrom(new byte[] {127, 0, 0, 1, 9}))
        .setPort(f.backend(1).address().getPort()).setLoadBalanceToken("bad-ip").build();
    io.grpc.lb.v1.Server badPort = backend(f.backend(1).address(), "bad-port").toBuilder().setPort(70_000).build();
    io.grpc.lb.v1.Server controlCharToken = backend(f.backend(2).address(), "bad\ntoken");
    f.balancer.onConnect(initial(Duration.ZERO),
        serverList(fiveByteIp, badPort, backend(f.backend(0).address(), "t0"), controlCharToken));
    f.channel("{}", List.of());

    awaitSpreadOver(2);
    f.backends.forEach(GrpcBackend::clear);
    Map<String, Integer> spread = f.spread(10, WAIT);

    assertThat(spread).containsOnly(Map.entry("b0", 5), Map.entry("b2", 5));
    assertThat(f.backend(0).tokens()).allSatisfy(t -> assertThat(t).containsExactly("t0"));
    assertThat(f.backend(2).tokens()).as("a token that cannot be a header value is not sent")
        .allSatisfy(t -> assertThat(t).isEmpty());
    assertThat(f.backend(1).calls()).isZero();
  }

  @Test
  void serverEntryWithAnIpv6AddressServesBesideIpv4OnesWithItsOwnToken() throws Exception {
    GrpcBackend onIpv6 = GrpcBackend.startOn("b6", "::1");
    try {
      f.balancer.onConnect(initial(Duration.ZERO),
          serverList(backend(onIpv6.address(), "t6"), backend(f.backend(0).address(), "t0")));
      assertThat(backend(onIpv6.address(), "t6").getIpAddress().size()).as("a 16-byte address").isEqualTo(16);
      f.channel("{}", List.of());

      awaitSpreadOver(2);
      onIpv6.clear();
      f.backends.forEach(GrpcBackend::clear);
      Map<String, Integer> spread = f.spread(10, WAIT);

      assertThat(spread).containsOnly(Map.entry("b6", 5), Map.entry("b0", 5));
      assertThat(onIpv6.tokens()).hasSize(5).allSatisfy(t -> assertThat(t).containsExactly("t6"));
      assertThat(f.backend(0).tokens()).hasSize(5).allSatisfy(t -> assertThat(t).containsExactly("t0"));
    } finally {
      onIpv6.close();
    }
  }

  @Test
  void aNewTokenForTheSameBackendIsSentFromTheNextListOn() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.channel("{}", List.of());
    assertThat(f.call(WAIT)).isEqualTo("b0");

    f.balancer.send(serverList(backend(f.backend(0).address(), "t0-renewed")));

    Await.until("the renewed token sent", TEN_S, () -> f.call(WAIT).equals("b0")
        && f.backend(0).tokens().get(f.backend(0).calls() - 1).equals(List.of("t0-renewed")));
  }

  @Test
  void aCallerOwnLbTokenIsReplacedSoEachCallCarriesExactlyOne() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.channel("{}", List.of());
    dev.switchboard.channel.api.Metadata own = new dev.switchboard.channel.api.Metadata();
    own.put(GrpclbPicker.LB_TOKEN, "forged");

    assertThat(f.call(WAIT.withExtraHeaders(own))).isEqualTo("b0");

    assertThat(f.backend(0).tokens()).last().isEqualTo(List.of("t0"));
  }

  @Test
  void dropsFailCallsInTheirTurnEvenWaitForReadyAndAreReportedPerToken() throws Exception {
    f.balancer.onConnect(initial(Duration.ofSeconds(1)), serverList(
        backend(f.backend(0).address(), "t0"), drop("lb-drop"), backend(f.backend(1).address(), "t1"), drop("rate")));
    f.channel("{}", List.of());
    awaitSpreadOver(2);
    f.clock.forwardTime(Duration.ofSeconds(1)); // a report with the warm-up, which is not counted below
    Await.until("the first report", TEN_S, () -> !f.balancer.stats().isEmpty());
    int before = f.balancer.stats().size();

    Map<String, Integer> spread = f.spread(40, WAIT);
    f.clock.forwardTime(Duration.ofSeconds(1));
    Await.until("the next report", TEN_S, () -> f.balancer.stats().size() > before);

    assertThat(spread).containsOnly(
        Map.entry("b0", 10), Map.entry("b1", 10), Map.entry("status:UNAVAILABLE:dropped", 20));
    ClientStats report = f.balancer.stats().get(before);
    assertThat(GrpclbFixture.sum(List.of(report))).containsExactlyInAnyOrderEntriesOf(Map.of(
        "started", 40L, "finished", 40L, "failedToSend", 0L, "knownReceived", 20L,
        "drop:lb-drop", 10L, "drop:rate", 10L));
    assertThat(report.getTimestamp().getSeconds()).isPositive();
  }

  @Test
  void countersResetAfterEachReportAndReportsComeAtTheRequestedInterval() throws Exception {
    f.balancer.onConnect(initial(Duration.ofSeconds(5)), serverList(backend(f.backend(0).address(), "t0"), drop("d")));
    f.channel("{}", List.of());
    assertThat(f.spread(4, WAIT)).containsOnly(Map.entry("b0", 2), Map.entry("status:UNAVAILABLE:dropped", 2));

    f.clock.forwardTime(Duration.ofSeconds(4));
    assertThat(f.balancer.stats()).as("no report before the interval").isEmpty();
    f.clock.forwardTime(Duration.ofSeconds(1));
    Await.until("the first report", TEN_S, () -> f.balancer.stats().size() == 1);
    f.clock.forwardTime(Duration.ofSeconds(5));
    Await.until("the second report", TEN_S, () -> f.balancer.stats().size() == 2);

    assertThat(GrpclbFixture.sum(f.balancer.stats().subList(0, 1)))
        .containsEntry("started", 4L).containsEntry("finished", 4L).containsEntry("drop:d", 2L);
    ClientStats second = f.balancer.stats().get(1);
    assertThat(second.getNumCallsStarted()).isZero();
    assertThat(second.getNumCallsFinished()).isZero();
    assertThat(second.getCallsFinishedWithDropList()).isEmpty();
  }

  @Test
  void noReportsWhenTheBalancerAsksForNone() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.channel("{}", List.of());
    assertThat(f.call(WAIT)).isEqualTo("b0");
    f.clock.forwardTime(Duration.ofMinutes(5));
    assertThat(f.call(WAIT)).isEqualTo("b0");
    assertThat(f.balancer.stats()).isEmpty();
  }

  @Test
  void emptyServerListFailsFailFastCallsAndHoldsWaitForReadyOnesUntilAListWithBackends() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList());
    f.channel("{}", List.of(f.backend(2)));
    Await.until("fail-fast calls failing", TEN_S, () -> f.call(CallOptions.DEFAULT).equals("status:UNAVAILABLE"));
    CompletableFuture<byte[]> waiting = f.start(WAIT);
    f.clock.forwardTime(Duration.ofSeconds(30)); // no fallback: the balancer works, it listed nothing
    assertThat(waiting).isNotDone();

    f.balancer.send(serverList(backend(f.backend(1).address(), "t1")));

    assertThat(GrpclbFixture.outcome(waiting)).isEqualTo("b1");
    assertThat(f.backend(2).calls()).isZero();
  }

  @Test
  void fallbackToResolverBackendsWhenNoServerListWithinTheDefaultTenSeconds() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO)); // answers, but lists nothing
    f.channel("{}", List.of(f.backend(2)));
    Await.until("the stream open", TEN_S, () -> f.balancer.openStreams() == 1);
    CompletableFuture<byte[]> waiting = f.start(WAIT);
    f.clock.forwardTime(Duration.ofMillis(9_999));
    assertThat(waiting).isNotDone();

    f.clock.forwardTime(Duration.ofMillis(1));

    assertThat(GrpclbFixture.outcome(waiting)).isEqualTo("b2");
    assertThat(f.backend(2).tokens()).allSatisfy(t -> assertThat(t).isEmpty());
  }

  @Test
  void fallbackTimeoutIsConfigurableAndAServerListEndsFallback() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO));
    f.channel("{\"initialFallbackTimeout\":\"2.5s\"}", List.of(f.backend(2)));
    Await.until("the stream open", TEN_S, () -> f.balancer.openStreams() == 1);
    CompletableFuture<byte[]> waiting = f.start(WAIT);
    f.clock.forwardTime(Duration.ofMillis(2_499));
    assertThat(waiting).isNotDone();
    f.clock.forwardTime(Duration.ofMillis(1));
    assertThat(GrpclbFixture.outcome(waiting)).isEqualTo("b2");

    f.balancer.send(serverList(backend(f.backend(0).address(), "t0")));

    Await.until("calls back on the balancer's list", TEN_S, () -> f.call(WAIT).equals("b0"));
    assertThat(f.backend(0).tokens()).last().isEqualTo(List.of("t0"));
  }

  @Test
  void fallbackWhenTheBalancerSaysSoEvenWithHealthyBackendsAndBackOnItsNextList() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.channel("{}", List.of(f.backend(2)));
    assertThat(f.call(WAIT)).isEqualTo("b0");

    f.balancer.send(fallback());
    Await.until("calls in fallback", TEN_S, () -> f.call(WAIT).equals("b2"));

    f.balancer.send(serverList(backend(f.backend(1).address(), "t1")));
    Await.until("calls back on the balancer's list", TEN_S, () -> f.call(WAIT).equals("b1"));
    assertThat(f.backend(1).tokens()).last().isEqualTo(List.of("t1"));
  }

  @Test
  void fallbackRightAwayWithoutBalancerAddresses() throws Exception {
    f.channel("{}", List.of(f.backend(2)));
    f.resolver.updateState(dev.switchboard.channel.api.resolver.ResolverState.newBuilder()
        .addresses(List.of(dev.switchboard.channel.api.resolver.Address.of(f.backend(2).address()))).build());

    assertThat(f.call(WAIT)).isEqualTo("b2");
  }

  @Test
  void streamLostWhileABackendWorksKeepsTheListThenFallsBackWhenNoBackendIsReachable() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.channel("{}", List.of(f.backend(2)));
    assertThat(f.call(WAIT)).isEqualTo("b0");

    f.balancer.stop();
    assertThat(f.spread(5, WAIT)).as("the listed backend still serves").containsOnly(Map.entry("b0", 5));

    f.backend(0).stop();
    Await.until("calls in fallback", TEN_S, () -> f.call(WAIT).equals("b2"));
  }

  @Test
  void balancerRestartReopensTheStreamAndItsNewListIsUsed() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.channel("{}", List.of(f.backend(2)));
    assertThat(f.call(WAIT)).isEqualTo("b0");
    int resolutions = f.resolver.resolveNowCount();

    f.balancer.stop();
    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(1).address(), "t1")));
    f.balancer.restart();

    // The balancer channel reconnects with backoff on the channel's (manual) clock.
    Await.until("calls on the restarted balancer's list", TEN_S, () -> {
      f.clock.forwardTime(Duration.ofSeconds(2));
      return f.call(WAIT).equals("b1");
    });
    assertThat(f.balancer.names().size()).as("streams opened").isGreaterThanOrEqualTo(2);
    assertThat(f.resolver.resolveNowCount()).as("re-resolution asked when the stream broke").isGreaterThan(resolutions);
  }

  @Test
  void streamFailingBeforeTheBalancerAnswersIsRetriedWithBackoffOnTheChannelClock() throws Exception {
    f.balancer.onConnect(); // accepts streams, answers nothing
    f.channel("{}", List.of(f.backend(2)));
    Await.until("the stream open", TEN_S, () -> f.balancer.openStreams() == 1);

    f.balancer.completeStreams(); // ended before any answer
    Await.until("the client in fallback", TEN_S, () -> f.call(WAIT).equals("b2"));
    f.clock.forwardTime(Duration.ofMillis(700)); // under the first backoff (1 s, jitter 0.2)
    assertThat(f.balancer.names()).hasSize(1);

    f.balancer.onConnect(initial(Duration.ZERO), serverList(backend(f.backend(0).address(), "t0")));
    f.clock.forwardTime(Duration.ofMillis(600));
    Await.until("a second stream", TEN_S, () -> f.balancer.names().size() == 2);
    Await.until("calls on the list", TEN_S, () -> f.call(WAIT).equals("b0"));
  }

  @Test
  void countsBalanceWhenBackendsBounceUnderLoad() throws Exception {
    f.balancer.onConnect(initial(Duration.ofSeconds(1)), serverList(
        backend(f.backend(0).address(), "t0"), backend(f.backend(1).address(), "t1"), drop("d")));
    f.channel("{}", List.of());
    awaitSpreadOver(2);
    f.clock.forwardTime(Duration.ofSeconds(1));
    Await.until("the warm-up report", TEN_S, () -> !f.balancer.stats().isEmpty());
    int before = f.balancer.stats().size();

    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < 50; i++) {
        calls.add(f.start(round % 2 == 0 ? WAIT : CallOptions.DEFAULT));
      }
      GrpcBackend bouncing = f.backend(round % 2);
      bouncing.stop();
      for (int i = 0; i < 50; i++) {
        calls.add(f.start(CallOptions.DEFAULT));
      }
      bouncing.restart();
      f.clock.forwardTime(Duration.ofSeconds(1)); // reports while calls are in flight
    }
    // A wait-for-ready call may wait for a subconn whose reconnect backoff (up to 1.2 s at first,
    // longer after repeated failures) runs on the manual clock: let its time pass, a second at a
    // time, as real time would, while calls are still open.
    CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]));
    for (int second = 0; second < 30 && !all.isDone(); second++) {
      try {
        all.get(500, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        f.clock.forwardTime(Duration.ofSeconds(1));
      } catch (ExecutionException e) {
        break; // every call has ended, some with an error: counted below
      }
    }
    long ok = 0;
    long dropped = 0;
    for (CompletableFuture<byte[]> call : calls) {
      String outcome = GrpclbFixture.outcome(call);
      ok += outcome.startsWith("b") ? 1 : 0;
      dropped += outcome.endsWith(":dropped") ? 1 : 0;
    }
    int reports = f.balancer.stats().size();
    f.clock.forwardTime(Duration.ofSeconds(1));
    Await.until("the last report", TEN_S, () -> f.balancer.stats().size() > reports);

    Map<String, Long> sum = GrpclbFixture.sum(f.balancer.stats().subList(before, f.balancer.stats().size()));
    assertThat(sum.get("started")).as("started == finished: %s", sum).isEqualTo(sum.get("finished"));
    assertThat(sum.get("drop:d")).isEqualTo(dropped);
    assertThat(sum.get("knownReceived")).isGreaterThanOrEqualTo(ok);
    assertThat(sum.get("started")).as("every call served or dropped started: %s", sum).isGreaterThanOrEqualTo(ok + dropped);
    // A call may start several picks (a stream refused before the server saw it is picked again),
    // but reaches a server at most once: picks that were sent are at most the calls.
    assertThat(sum.get("started") - sum.get("failedToSend")).as("picks sent: %s", sum).isLessThanOrEqualTo(calls.size());
  }
}
