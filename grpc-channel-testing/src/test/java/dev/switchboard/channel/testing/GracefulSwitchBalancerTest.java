package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.GracefulSwitchBalancer;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The graceful switch that runs a channel's policy, and any plugin's children, on the API alone. */
class GracefulSwitchBalancerTest {

  private static final Address A = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));

  /** A policy whose config is a word; its balancers record what they get and act as the test says. */
  private static final class WordPolicy implements BalancerProvider<String> {
    final String name;
    final List<WordBalancer> balancers = new CopyOnWriteArrayList<>();
    volatile Function<ClientConnState<String>, Status> onUpdate = state -> Status.OK;

    WordPolicy(String name) {
      this.name = name;
    }

    @Override
    public String policyName() {
      return name;
    }

    @Override
    public ConfigOrError<String> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
      return ConfigOrError.of(rawConfig.containsKey("word") ? String.valueOf(rawConfig.get("word")) : "none");
    }

    @Override
    public Balancer<String> newBalancer(ClientConn clientConn, BalancerArgs args) {
      WordBalancer balancer = new WordBalancer(clientConn);
      balancers.add(balancer);
      return balancer;
    }

    final class WordBalancer implements Balancer<String> {
      final ClientConn conn;
      final List<String> words = new CopyOnWriteArrayList<>();
      final List<SubConnState> heard = new CopyOnWriteArrayList<>();
      volatile boolean closed;

      WordBalancer(ClientConn conn) {
        this.conn = conn;
      }

      @Override
      public Status updateClientConnState(ClientConnState<String> state) {
        words.add(state.balancerConfig());
        return onUpdate.apply(state);
      }

      @Override
      public void resolverError(Status error) {}

      @Override
      public void close() {
        closed = true;
      }

      SubConn newSubConn() {
        return conn.newSubConn(List.of(A), SubConnOptions.of(heard::add));
      }

      Picker dropping() {
        return Picker.of(PickResult.withDrop(Status.UNAVAILABLE.withDescription("by " + name)));
      }
    }
  }

  private final FakeBalancerClientConn conn = FakeBalancerClientConn.create();
  private final GracefulSwitchBalancer switcher = new GracefulSwitchBalancer(conn, BalancerArgs.defaults());
  private final WordPolicy a = new WordPolicy("policy_a");
  private final WordPolicy b = new WordPolicy("policy_b");

  @AfterEach
  void noViolations() {
    conn.runInContext(switcher::close);
    conn.assertNoViolations();
  }

  private Status update(WordPolicy policy, String word) {
    ChildPolicy<String> child = ChildPolicy.of(policy, word);
    Status[] status = new Status[1];
    conn.runInContext(() -> status[0] = switcher.updateClientConnState(
        ClientConnState.<ChildPolicy<?>>newBuilder(child).addresses(List.of(A)).build()));
    return status[0];
  }

  private String pickedBy() {
    PickResult result = FakeBalancerClientConn.pick(conn.lastPicker());
    return ((PickResult.Drop) result).status().description().orElse("");
  }

  @Test
  void theChildGetsItsOwnConfigAndTheFirstPolicyServesAtOnce() {
    assertThat(update(a, "one").isOk()).isTrue();
    update(a, "two");

    assertThat(a.balancers).singleElement().satisfies(w -> assertThat(w.words).containsExactly("one", "two"));
    WordPolicy.WordBalancer child = a.balancers.get(0);
    conn.runInContext(() -> child.conn.updateState(ConnectivityState.READY, child.dropping()));
    assertThat(pickedBy()).isEqualTo("by policy_a");
    assertThat(switcher.policyName()).contains("policy_a");
  }

  @Test
  void theOldPolicyServesUntilTheNewOneIsReadyThenClosesWithItsSubConns() {
    update(a, "x");
    WordPolicy.WordBalancer old = a.balancers.get(0);
    SubConn[] leftover = new SubConn[1];
    conn.runInContext(() -> {
      leftover[0] = old.newSubConn();
      old.conn.updateState(ConnectivityState.READY, old.dropping());
    });

    update(b, "y");
    WordPolicy.WordBalancer next = b.balancers.get(0);
    conn.runInContext(() -> next.conn.updateState(ConnectivityState.CONNECTING, next.dropping()));
    assertThat(pickedBy()).isEqualTo("by policy_a");
    assertThat(old.closed).isFalse();

    conn.runInContext(() -> next.conn.updateState(ConnectivityState.READY, next.dropping()));
    assertThat(pickedBy()).isEqualTo("by policy_b");
    assertThat(old.closed).isTrue();
    assertThat(conn.subConns()).singleElement().satisfies(sc -> assertThat(sc.isShutdown())
        .as("the subconn the old policy left behind").isTrue());
  }

  @Test
  void theNewPolicyTakesOverWhenTheOldOneLeavesReady() {
    update(a, "x");
    WordPolicy.WordBalancer old = a.balancers.get(0);
    conn.runInContext(() -> old.conn.updateState(ConnectivityState.READY, old.dropping()));
    update(b, "y");
    WordPolicy.WordBalancer next = b.balancers.get(0);
    conn.runInContext(() -> next.conn.updateState(ConnectivityState.CONNECTING, next.dropping()));

    conn.runInContext(() -> old.conn.updateState(ConnectivityState.TRANSIENT_FAILURE, old.dropping()));

    assertThat(pickedBy()).isEqualTo("by policy_b");
    assertThat(conn.lastUpdate().orElseThrow().state()).isEqualTo(ConnectivityState.CONNECTING);
    assertThat(old.closed).isTrue();
  }

  @Test
  void aChildThatThrowsIsContainedAsTransientFailureNamingItsPolicy() {
    a.onUpdate = state -> {
      throw new IllegalStateException("kaboom");
    };

    Status status = update(a, "x");

    assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.description().orElse("")).contains("'policy_a'").contains("kaboom");
    assertThat(conn.lastUpdate().orElseThrow().state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    PickResult pick = FakeBalancerClientConn.pick(conn.lastPicker());
    assertThat(((PickResult.Fail) pick).status().description().orElse("")).contains("kaboom");
  }

  @Test
  void nothingReachesAClosedChildAndItsPickerIsPublishedOnlyAfterItReturns() {
    update(a, "x");
    WordPolicy.WordBalancer child = a.balancers.get(0);
    List<String> order = new CopyOnWriteArrayList<>();
    SubConn[] subConn = new SubConn[1];
    conn.runInContext(() -> {
      subConn[0] = child.newSubConn();
      child.conn.updateState(ConnectivityState.READY, child.dropping());
      order.add("child returned; updates so far: " + conn.updates().size());
    });
    // 1: the switch's CONNECTING when the first child started; the child's READY came after it returned.
    assertThat(order).containsExactly("child returned; updates so far: 1");
    assertThat(conn.updates()).hasSize(2);

    update(b, "y"); // a is READY: b is pending
    WordPolicy.WordBalancer next = b.balancers.get(0);
    conn.runInContext(() -> next.conn.updateState(ConnectivityState.READY, next.dropping()));
    assertThat(child.closed).isTrue();
    int published = conn.updates().size();

    conn.subConns().get(0).deliverState(SubConnState.of(ConnectivityState.READY));
    conn.runInContext(() -> child.conn.updateState(ConnectivityState.READY, child.dropping()));

    assertThat(child.heard).as("states after the child closed").isEmpty();
    assertThat(conn.updates()).as("pickers of the closed child").hasSize(published);
  }
}
