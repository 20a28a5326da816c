package com.example.balancer.leastrequest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import dev.switchboard.channel.testing.FakeSubConn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The balancer with the testing kit's fake ClientConn: picks, and their ends, played by the test. */
class LeastRequestBalancerTest {

  private final FakeBalancerClientConn conn = FakeBalancerClientConn.create();
  private final LeastRequestBalancer balancer = new LeastRequestBalancer(conn);

  @AfterEach
  void noViolations() {
    conn.runInContext(balancer::close);
    conn.assertNoViolations();
  }

  private static Address address(int port) {
    return Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /** Two READY backends; with two choices or more, every pick compares both. */
  private void twoReadyBackends(int choiceCount) {
    conn.runInContext(() -> balancer.updateClientConnState(
        ClientConnState.newBuilder(new LeastRequestConfig(choiceCount))
            .addresses(List.of(address(1), address(2))).build()));
    for (FakeSubConn sc : conn.liveSubConns()) {
      sc.deliverState(SubConnState.of(ConnectivityState.READY));
    }
    assertThat(conn.lastUpdate().orElseThrow().state()).isEqualTo(ConnectivityState.READY);
  }

  private SubConn subConnOf(PickResult result) {
    return ((PickResult.Complete) result).subConn();
  }

  private int totalInFlight() {
    return balancer.inFlight().values().stream().mapToInt(Integer::intValue).sum();
  }

  @Test
  void aPickGoesToTheBackendWithFewerCallsInFlight() {
    twoReadyBackends(10);
    PickResult first = FakeBalancerClientConn.pick(conn.lastPicker());
    PickResult second = FakeBalancerClientConn.pick(conn.lastPicker());
    assertThat(subConnOf(second)).as("the other backend: it has none in flight")
        .isNotSameAs(subConnOf(first));

    FakeBalancerClientConn.finishCall(first, Status.OK);
    PickResult third = FakeBalancerClientConn.pick(conn.lastPicker());
    assertThat(subConnOf(third)).as("the first backend's call ended").isSameAs(subConnOf(first));
  }

  @Test
  void everyPickComesBackToZeroWhetherItsCallEndedOrItWasNeverUsed() {
    twoReadyBackends(2);
    List<PickResult> picks = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      picks.add(FakeBalancerClientConn.pick(conn.lastPicker()));
    }
    assertThat(totalInFlight()).isEqualTo(100);

    for (int i = 0; i < picks.size(); i++) {
      if (i % 3 == 0) {
        FakeBalancerClientConn.abandonPick(picks.get(i), Status.UNAVAILABLE.withDescription("not READY"));
      } else {
        FakeBalancerClientConn.finishCall(picks.get(i), i % 2 == 0 ? Status.OK : Status.DEADLINE_EXCEEDED);
      }
    }
    assertThat(balancer.inFlight()).allSatisfy((endpoint, count) -> assertThat(count).isZero());
  }

  @Test
  void aNewPickerKeepsTheCountsOfTheBackends() {
    twoReadyBackends(10);
    PickResult busy = FakeBalancerClientConn.pick(conn.lastPicker());
    conn.runInContext(() -> balancer.updateClientConnState(ClientConnState.newBuilder(new LeastRequestConfig(10))
        .addresses(List.of(address(1), address(2))).build()));

    PickResult next = FakeBalancerClientConn.pick(conn.lastPicker());
    assertThat(subConnOf(next)).isNotSameAs(subConnOf(busy));
    assertThat(conn.subConns()).as("same endpoints: same subconns").hasSize(2);
  }

  @Test
  void choiceCountDefaultsToTwoIsCappedAtTenAndMustBeAWholeNumberOfTwoOrMore() {
    LeastRequestBalancerProvider provider = new LeastRequestBalancerProvider();
    assertThat(provider.parseConfig(Map.of(), conn.balancerRegistry()).config()).contains(LeastRequestConfig.DEFAULT);
    assertThat(provider.parseConfig(Map.of("choiceCount", 25.0), conn.balancerRegistry()).config())
        .contains(new LeastRequestConfig(10));
    for (Object bad : List.of(1.0, 2.5, "3", true)) {
      assertThat(provider.parseConfig(Map.of("choiceCount", bad), conn.balancerRegistry()).status().description())
          .as("%s", bad).hasValueSatisfying(d -> assertThat(d).contains("choiceCount"));
    }
  }
}
