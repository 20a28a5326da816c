package dev.switchboard.balancer.grpclb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.balancer.grpclb.internal.GrpclbPicker.Drop;
import dev.switchboard.balancer.grpclb.internal.lb.v1.ClientStats;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The picker: drops in their turn, tokens, and the load recorder as pick listener. */
class GrpclbPickerTest {
  private final FakeBalancerClientConn conn = FakeBalancerClientConn.create();
  private final LoadRecorder recorder = new LoadRecorder();

  private Backend backend(int port, String token) {
    Address address = Address.newBuilder(new InetSocketAddress("127.0.0.1", port))
        .balancerAttributes(Attributes.newBuilder().set(Backend.TOKEN, token).build()).build();
    AtomicReference<Backend> created = new AtomicReference<>();
    conn.runInContext(() -> created.set(
        new Backend(conn.newSubConn(List.of(address), SubConnOptions.of(s -> {})), List.of(address), recorder, b -> {})));
    return created.get();
  }

  private static Map<SubConn, Backend> index(Backend... backends) {
    Map<SubConn, Backend> map = new IdentityHashMap<>();
    for (Backend b : backends) {
      map.put(b.underlying(), b);
    }
    return map;
  }

  private static PickInfo info(Metadata headers) {
    return PickInfo.of(FakeBalancerClientConn.TEST_METHOD, CallOptions.DEFAULT.withWaitForReady(), headers);
  }

  @Test
  void dropEntriesDropInTheirTurnOfTheListAndBackendTurnsGoToTheChild() {
    Backend a = backend(1, "ta");
    Backend b = backend(2, "tb");
    Picker child = new Picker() {
      int next;

      @Override
      public PickResult pick(PickInfo info) {
        return PickResult.withSubConn(next++ % 2 == 0 ? a : b);
      }
    };
    Drop[] list = {null, new Drop(recorder, "d1"), null, new Drop(recorder, "d2")};
    GrpclbPicker picker = new GrpclbPicker(list, child, index(a, b));

    List<String> turns = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Metadata headers = new Metadata();
      PickResult r = picker.pick(info(headers));
      if (r instanceof PickResult.Drop) {
        assertThat(((PickResult.Drop) r).status().code()).isEqualTo(Status.Code.UNAVAILABLE);
        turns.add("drop");
      } else {
        PickResult.Complete c = (PickResult.Complete) r;
        turns.add(headers.getAll(GrpclbPicker.LB_TOKEN).toString());
        assertThat(c.subConn()).isSameAs(c.subConn().underlying());
      }
    }

    assertThat(turns).containsExactly("[ta]", "drop", "[tb]", "drop", "[ta]", "drop", "[tb]", "drop");
    ClientStats stats = recorder.report(Instant.EPOCH);
    assertThat(stats.getNumCallsStarted()).isEqualTo(4);
    assertThat(stats.getNumCallsFinished()).isEqualTo(4);
    assertThat(stats.getCallsFinishedWithDropList()).extracting(s -> s.getLoadBalanceToken() + "=" + s.getNumCalls())
        .containsExactlyInAnyOrder("d1=2", "d2=2");
  }

  @Test
  void aPickReplacesAnyTokenInTheHeadersAndCountsWhatHappenedToIt() {
    Backend a = backend(1, "ta");
    GrpclbPicker picker = new GrpclbPicker(new Drop[0], Picker.of(PickResult.withSubConn(a)), index(a));
    Metadata headers = new Metadata();
    headers.put(GrpclbPicker.LB_TOKEN, "old");
    headers.put(GrpclbPicker.LB_TOKEN, "older");

    PickResult sent = picker.pick(info(headers));
    FakeBalancerClientConn.finishCall(sent, Status.OK);
    PickResult refused = picker.pick(info(new Metadata()));
    FakeBalancerClientConn.finishCall(refused, DoneInfo.newBuilder(Status.UNAVAILABLE).started(true).build());
    PickResult unused = picker.pick(info(new Metadata()));
    FakeBalancerClientConn.abandonPick(unused, Status.UNAVAILABLE);

    assertThat(headers.getAll(GrpclbPicker.LB_TOKEN)).containsExactly("ta");
    ClientStats stats = recorder.report(Instant.EPOCH);
    assertThat(stats.getNumCallsStarted()).isEqualTo(2);
    assertThat(stats.getNumCallsFinished()).isEqualTo(2);
    assertThat(stats.getNumCallsFinishedWithClientFailedToSend()).isEqualTo(1);
    assertThat(stats.getNumCallsFinishedKnownReceived()).isEqualTo(1);
    assertThat(recorder.report(Instant.EPOCH).getNumCallsStarted()).as("reset after the report").isZero();
  }

  @Test
  void aChildListenerStillHearsItsPicks() {
    Backend a = backend(1, "ta");
    List<String> heard = new ArrayList<>();
    PickListener childListener = info -> heard.add("done " + info.status().code());
    GrpclbPicker picker = new GrpclbPicker(new Drop[0], Picker.of(PickResult.withSubConn(a, childListener)), index(a));

    FakeBalancerClientConn.finishCall(picker.pick(info(new Metadata())), Status.OK);

    assertThat(heard).containsExactly("done OK");
    assertThat(recorder.report(Instant.EPOCH).getNumCallsFinished()).isEqualTo(1);
  }

  @Test
  void inFallbackPicksCarryNoTokenAndAreNotCounted() {
    Address plain = Address.of(new InetSocketAddress("127.0.0.1", 3));
    AtomicReference<Backend> created = new AtomicReference<>();
    conn.runInContext(() -> created.set(
        new Backend(conn.newSubConn(List.of(plain), SubConnOptions.of(s -> {})), List.of(plain), null, b -> {})));
    Backend a = created.get();
    GrpclbPicker picker = new GrpclbPicker(new Drop[0], Picker.of(PickResult.withSubConn(a)), index(a));
    Metadata headers = new Metadata();
    headers.put(GrpclbPicker.LB_TOKEN, "stale");

    FakeBalancerClientConn.finishCall(picker.pick(info(headers)), Status.OK);

    assertThat(headers.containsKey(GrpclbPicker.LB_TOKEN)).isFalse();
    assertThat(recorder.report(Instant.EPOCH).getNumCallsStarted()).isZero();
  }

  @Test
  void nonSubConnResultsOfTheChildPassThrough() {
    GrpclbPicker picker = new GrpclbPicker(new Drop[] {null}, Picker.of(PickResult.withNoResult()), Map.of());
    assertThat(picker.pick(info(new Metadata()))).isSameAs(PickResult.withNoResult());
  }
}
