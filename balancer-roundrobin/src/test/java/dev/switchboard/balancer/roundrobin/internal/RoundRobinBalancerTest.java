package dev.switchboard.balancer.roundrobin.internal;

import static dev.switchboard.channel.testing.FakeBalancerClientConn.pick;
import static dev.switchboard.channel.testing.FakeBalancerClientConn.pickSpread;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import dev.switchboard.channel.testing.FakeSubConn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {

  private static final Status REFUSED = Status.UNAVAILABLE.withDescription("connection refused");
  private static final Attributes.Key<String> ZONE = Attributes.Key.create("zone");

  private final FakeBalancerClientConn cc = FakeBalancerClientConn.create();
  private final Balancer<RoundRobinConfig> balancer =
      new RoundRobinBalancerProvider().newBalancer(cc, BalancerArgs.defaults());

  @AfterEach
  void noContractViolations() {
    cc.assertNoViolations();
  }

  private static List<Address> addresses(int n) {
    List<Address> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(address(10_000 + i));
    }
    return out;
  }

  private static Address address(int port) {
    return Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  private Status update(List<Address> addresses) {
    AtomicReference<Status> status = new AtomicReference<>();
    cc.runInContext(() -> status.set(
        balancer.updateClientConnState(ClientConnState.newBuilder(RoundRobinConfig.INSTANCE).addresses(addresses).build())));
    return status.get();
  }

  private static void deliver(FakeSubConn subConn, ConnectivityState state) {
    subConn.deliverState(SubConnState.of(state));
  }

  private static void fail(FakeSubConn subConn) {
    subConn.deliverState(SubConnState.forTransientFailure(REFUSED));
  }

  private ConnectivityState lastState() {
    return cc.lastUpdate().orElseThrow().state();
  }

  @Test
  void connectsEveryAddressEagerly() {
    assertThat(update(addresses(3)).isOk()).isTrue();

    assertThat(cc.subConns()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      FakeSubConn sc = cc.subConns().get(i);
      assertThat(sc.addresses()).containsExactly(addresses(3).get(i));
      assertThat(sc.connectCount()).isEqualTo(1);
    }
    assertThat(lastState()).isEqualTo(ConnectivityState.CONNECTING);
    assertThat(pick(cc.lastPicker())).isEqualTo(PickResult.withNoResult());
  }

  @Test
  void picksRotateEvenlyOverReadySubConns() {
    update(addresses(3));
    cc.subConns().forEach(sc -> deliver(sc, ConnectivityState.READY));

    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
    Map<SubConn, Integer> spread = pickSpread(cc.lastPicker(), 300);
    assertThat(spread).containsOnlyKeys(cc.subConns().toArray(new SubConn[0]));
    assertThat(spread.values()).containsOnly(100);
  }

  @Test
  void eachPickerStartsAtARandomSubConn() {
    update(addresses(3));
    cc.subConns().forEach(sc -> deliver(sc, ConnectivityState.READY));

    Set<SubConn> firstPicks = new HashSet<>();
    // Each picker is used for one full turn, so without a random start every picker would begin
    // where the last one began; with it, another start shows up within a few tries (all 50 the
    // same by chance: 3 * 3^-50).
    for (int i = 0; i < 50 && firstPicks.size() < 2; i++) {
      update(addresses(3)); // same addresses: a new picker over the same subconns
      Picker picker = cc.lastPicker();
      firstPicks.add(((PickResult.Complete) pick(picker)).subConn());
      pick(picker);
      pick(picker);
    }
    assertThat(firstPicks).hasSizeGreaterThan(1);
  }

  @Test
  void readyAsSoonAsOneSubConnIsReadyAndPicksOnlyReadyOnes() {
    update(addresses(3));
    FakeSubConn ready = cc.subConns().get(1);
    fail(cc.subConns().get(0));
    deliver(ready, ConnectivityState.READY);

    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
    assertThat(pickSpread(cc.lastPicker(), 10)).containsOnlyKeys(ready);
  }

  @Test
  void connectingWhileNoneIsReadyAndOneIsStillConnecting() {
    update(addresses(2));
    fail(cc.subConns().get(0));
    deliver(cc.subConns().get(1), ConnectivityState.CONNECTING);

    assertThat(cc.updates()).extracting(FakeBalancerClientConn.Update::state)
        .containsOnly(ConnectivityState.CONNECTING);
    assertThat(pick(cc.lastPicker())).isEqualTo(PickResult.withNoResult());
  }

  @Test
  void transientFailureWithTheLastConnectionErrorOnceEverySubConnFailed() {
    update(addresses(2));
    fail(cc.subConns().get(0));
    cc.subConns().get(1).deliverState(
        SubConnState.forTransientFailure(Status.UNAVAILABLE.withDescription("reset by peer")));

    assertThat(lastState()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    PickResult result = pick(cc.lastPicker());
    assertThat(result).isInstanceOf(PickResult.Fail.class);
    Status status = ((PickResult.Fail) result).status();
    assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.description().orElseThrow())
        .contains("reset by peer").contains(addresses(2).get(1).toString());
  }

  @Test
  void transientFailureIsStickyUntilASubConnIsReady() {
    update(addresses(2));
    cc.subConns().forEach(RoundRobinBalancerTest::fail);
    int published = cc.updates().size();

    // The channel retries after backoff: the subconns go CONNECTING, and even IDLE.
    deliver(cc.subConns().get(0), ConnectivityState.CONNECTING);
    deliver(cc.subConns().get(1), ConnectivityState.IDLE);
    fail(cc.subConns().get(0));

    assertThat(cc.updates().subList(published, cc.updates().size()))
        .extracting(FakeBalancerClientConn.Update::state)
        .containsOnly(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(lastState()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);

    deliver(cc.subConns().get(1), ConnectivityState.READY);
    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
    assertThat(pickSpread(cc.lastPicker(), 4)).containsOnlyKeys(cc.subConns().get(1));
  }

  @Test
  void idleSubConnIsReconnectedAndTheResolverAskedAgain() {
    update(addresses(2));
    cc.subConns().forEach(sc -> deliver(sc, ConnectivityState.READY));
    FakeSubConn lost = cc.subConns().get(0);

    deliver(lost, ConnectivityState.IDLE); // GOAWAY or a closed connection

    assertThat(lost.connectCount()).isEqualTo(2);
    assertThat(cc.resolveNowCount()).isEqualTo(1);
    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
    assertThat(pickSpread(cc.lastPicker(), 6)).containsOnlyKeys(cc.subConns().get(1));
  }

  @Test
  void lastReadySubConnGoingIdleMakesTheChannelConnecting() {
    update(addresses(1));
    FakeSubConn sc = cc.subConns().get(0);
    deliver(sc, ConnectivityState.READY);

    deliver(sc, ConnectivityState.IDLE);

    assertThat(lastState()).isEqualTo(ConnectivityState.CONNECTING);
    assertThat(pick(cc.lastPicker())).isEqualTo(PickResult.withNoResult());
  }

  @Test
  void publishedPickerIsNotChangedBySubConnsJoiningOrLeaving() {
    update(addresses(3));
    List<FakeSubConn> scs = cc.subConns();
    deliver(scs.get(0), ConnectivityState.READY);
    deliver(scs.get(1), ConnectivityState.READY);
    Picker twoReady = cc.lastPicker();

    deliver(scs.get(2), ConnectivityState.READY);
    Picker threeReady = cc.lastPicker();
    deliver(scs.get(0), ConnectivityState.IDLE);

    assertThat(pickSpread(twoReady, 20)).containsOnlyKeys(scs.get(0), scs.get(1));
    assertThat(pickSpread(threeReady, 30)).containsOnlyKeys(scs.get(0), scs.get(1), scs.get(2))
        .containsValues(10, 10, 10);
    assertThat(pickSpread(cc.lastPicker(), 20)).containsOnlyKeys(scs.get(1), scs.get(2));
  }

  @Test
  void updateKeepsSubConnsOfAddressesThatStayShutsDownRemovedOnesAndAddsNewOnes() {
    Address a = address(1);
    Address b = address(2);
    Address c = address(3);
    update(List.of(a, b));
    FakeSubConn scA = cc.subConns().get(0);
    FakeSubConn scB = cc.subConns().get(1);
    deliver(scA, ConnectivityState.READY);
    deliver(scB, ConnectivityState.READY);
    int published = cc.updates().size();

    assertThat(update(List.of(b, c)).isOk()).isTrue();

    assertThat(scA.isShutdown()).isTrue();
    assertThat(scB.isShutdown()).isFalse();
    assertThat(scB.connectCount()).isEqualTo(1);
    assertThat(cc.liveSubConns()).hasSize(2);
    FakeSubConn scC = cc.liveSubConns().get(1);
    assertThat(scC.addresses()).containsExactly(c);
    assertThat(scC.connectCount()).isEqualTo(1);
    assertThat(cc.updates()).hasSize(published + 1);
    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
    assertThat(pickSpread(cc.lastPicker(), 5)).containsOnlyKeys(scB);

    deliver(scA, ConnectivityState.IDLE); // late news from a removed subconn changes nothing
    assertThat(scA.connectCount()).isEqualTo(1);
    assertThat(cc.updates()).hasSize(published + 1);
  }

  @Test
  void addressWhoseIdentifyingAttributesChangedGetsANewSubConn() {
    Address plain = address(1);
    Address zoned = Address.newBuilder(plain.socketAddress()).attributes(Attributes.newBuilder().set(ZONE, "a").build()).build();
    update(List.of(plain));

    update(List.of(zoned));

    assertThat(cc.subConns()).hasSize(2);
    assertThat(cc.subConns().get(0).isShutdown()).isTrue();
    assertThat(cc.liveSubConns()).singleElement()
        .satisfies(sc -> assertThat(sc.addresses()).containsExactly(zoned));
  }

  @Test
  void identifyingAttributesChangedButBalancerOnlyOnesChangedNothing() {
    Attributes.Key<Integer> weight = Attributes.Key.create("weight");
    Address light = address(1).toBuilder().balancerAttributes(Attributes.newBuilder().set(weight, 1).build()).build();
    Address heavy = light.toBuilder().balancerAttributes(Attributes.newBuilder().set(weight, 9).build()).build();
    update(List.of(light));
    FakeSubConn subConn = cc.subConns().get(0);
    deliver(subConn, ConnectivityState.READY);

    update(List.of(heavy));

    assertThat(cc.subConns()).as("no new subconn: the connection stays").containsExactly(subConn);
    assertThat(subConn.isShutdown()).isFalse();
    assertThat(subConn.connectCount()).isEqualTo(1);
    assertThat(subConn.addresses()).singleElement()
        .satisfies(a -> assertThat(a.balancerAttributes().get(weight)).contains(9));
    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
  }

  @Test
  void anEndpointOfSeveralAddressesIsOneSubConnTryingThemInOrder() {
    Address v4 = address(1);
    Address v6 = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 2));
    AtomicReference<Status> status = new AtomicReference<>();
    cc.runInContext(() -> status.set(balancer.updateClientConnState(ClientConnState.newBuilder(RoundRobinConfig.INSTANCE)
        .endpoints(List.of(Endpoint.of(v4, v6), Endpoint.of(address(3)))).build())));

    assertThat(status.get().isOk()).isTrue();
    assertThat(cc.subConns()).hasSize(2);
    assertThat(cc.subConns().get(0).addresses()).containsExactly(v4, v6);
    assertThat(cc.subConns().get(1).addresses()).containsExactly(address(3));
  }

  @Test
  void duplicateAddressesShareOneSubConn() {
    update(List.of(address(1), address(1), address(2)));

    assertThat(cc.subConns()).hasSize(2);
  }

  @Test
  void emptyAddressListIsRejectedWithUnavailableAndShutsDownEverySubConn() {
    update(addresses(2));
    cc.subConns().forEach(sc -> deliver(sc, ConnectivityState.READY));

    Status status = update(List.of());

    assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.description().orElseThrow()).contains("no addresses").contains("fake:///test");
    assertThat(cc.subConns()).allMatch(FakeSubConn::isShutdown);
    assertThat(lastState()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(pick(cc.lastPicker())).isEqualTo(PickResult.withError(status));

    update(addresses(1)); // the resolver's next answer is taken as usual
    assertThat(cc.liveSubConns()).hasSize(1);
    assertThat(lastState()).isEqualTo(ConnectivityState.CONNECTING);
  }

  @Test
  void resolverErrorBeforeAnyUpdateFailsPicksWithIt() {
    Status error = Status.UNAVAILABLE.withDescription("no such host");

    cc.runInContext(() -> balancer.resolverError(error));

    assertThat(lastState()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(pick(cc.lastPicker())).isEqualTo(PickResult.withError(error));
  }

  @Test
  void resolverErrorWhileNothingWasEverReadyFailsPicksWithIt() {
    update(addresses(2));
    Status error = Status.UNAVAILABLE.withDescription("no such host");

    cc.runInContext(() -> balancer.resolverError(error));

    assertThat(lastState()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(pick(cc.lastPicker())).isEqualTo(PickResult.withError(error));
    deliver(cc.subConns().get(0), ConnectivityState.READY); // and a subconn that connects wins
    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
  }

  @Test
  void resolverErrorAfterSubConnsWereReadyKeepsThePicker() {
    update(addresses(2));
    cc.subConns().forEach(sc -> deliver(sc, ConnectivityState.READY));
    int published = cc.updates().size();

    cc.runInContext(() -> balancer.resolverError(Status.UNAVAILABLE.withDescription("dns down")));

    assertThat(cc.updates()).hasSize(published);
    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
  }

  @Test
  void closeShutsDownEverySubConnAndPublishesNothingMore() {
    update(addresses(3));
    deliver(cc.subConns().get(0), ConnectivityState.READY);
    int published = cc.updates().size();

    cc.runInContext(balancer::close);
    deliver(cc.subConns().get(1), ConnectivityState.READY);

    assertThat(cc.subConns()).allMatch(FakeSubConn::isShutdown);
    assertThat(cc.updates()).hasSize(published);
  }

  @Test
  void stateChangesQueuedTogetherArePublishedOnce() {
    update(addresses(3));
    int published = cc.updates().size();

    cc.runInContext(() -> cc.subConns().forEach(sc -> deliver(sc, ConnectivityState.READY)));

    assertThat(cc.updates()).hasSize(published + 1);
    assertThat(pickSpread(cc.lastPicker(), 3)).hasSize(3);
  }

  @Test
  void concurrentPicksGoOnlyToReadySubConnsAndStayEven() throws Exception {
    update(addresses(4));
    cc.subConns().forEach(sc -> deliver(sc, ConnectivityState.READY));
    Picker picker = cc.lastPicker();
    int threads = 4;
    int picksPerThread = 100_000;

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Map<SubConn, Integer>>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(() -> pickSpread(picker, picksPerThread));
      }
      Map<SubConn, Integer> total = new java.util.HashMap<>();
      for (Future<Map<SubConn, Integer>> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
        f.get().forEach((sc, n) -> total.merge(sc, n, Integer::sum));
      }

      assertThat(total).containsOnlyKeys(cc.subConns().toArray(new SubConn[0]));
      int expected = threads * picksPerThread / 4;
      assertThat(total.values()).allSatisfy(n ->
          assertThat(n).isBetween(expected * 95 / 100, expected * 105 / 100));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tenThousandAddressesAllReadyGiveOneReadyPickerOverAllOfThem() {
    int n = 10_000;
    update(addresses(n));
    cc.subConns().forEach(sc -> deliver(sc, ConnectivityState.READY));

    assertThat(lastState()).isEqualTo(ConnectivityState.READY);
    // One thread uses one counter stripe: n picks visit every subconn exactly once.
    Map<SubConn, Integer> spread = pickSpread(cc.lastPicker(), n);
    assertThat(spread).hasSize(n).doesNotContainKey(null);
    assertThat(spread.values()).containsOnly(1);
  }
}
