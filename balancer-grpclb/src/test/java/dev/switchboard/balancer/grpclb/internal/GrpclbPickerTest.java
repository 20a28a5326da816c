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
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        new Backend(conn.newSubConn(List.of(address), SubConnOptions.of(s -> {})), List.of(address), recorder, null, b -> {})));
    return created.get();
  }

  private static List<String> tokens(PickResult result) {
    return ((PickResult.Complete) result).headers().map(h -> h.getAll(GrpclbPicker.LB_TOKEN)).orElse(List.of());
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
    GrpclbPicker picker = new GrpclbPicker(list, child);

    List<String> turns = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Metadata headers = new Metadata();
      PickResult r = picker.pick(info(headers));
      if (r instanceof PickResult.Drop) {
        assertThat(((PickResult.Drop) r).status().code()).isEqualTo(Status.Code.UNAVAILABLE);
        turns.add("drop");
      } else {
        PickResult.Complete c = (PickResult.Complete) r;
        turns.add(tokens(c).toString());
        assertThat(headers.size()).as("the pick's own headers, untouched").isZero();
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
  void aPickCarriesItsBackendsTokenAsTheResultsHeaderAndCountsWhatHappenedToIt() {
    Backend a = backend(1, "ta");
    GrpclbPicker picker = new GrpclbPicker(new Drop[0], Picker.of(PickResult.withSubConn(a)));
    Metadata headers = new Metadata();
    headers.put(GrpclbPicker.LB_TOKEN, "old");
    headers.put(GrpclbPicker.LB_TOKEN, "older");

    PickResult sent = picker.pick(info(headers));
    FakeBalancerClientConn.finishCall(sent, Status.OK);
    PickResult refused = picker.pick(info(new Metadata()));
    FakeBalancerClientConn.finishCall(refused, DoneInfo.newBuilder(Status.UNAVAILABLE).started(true).build());
    PickResult unused = picker.pick(info(new Metadata()));
    FakeBalancerClientConn.abandonPick(unused, Status.UNAVAILABLE);

    // The channel adds the result's header to the pick's stream, replacing the call's lb-token.
    assertThat(tokens(sent)).containsExactly("ta");
    assertThat(sent).as("built once, not per pick").isSameAs(refused);
    assertThat(headers.getAll(GrpclbPicker.LB_TOKEN)).as("the pick's own headers, untouched").containsExactly("old", "older");
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
    GrpclbPicker picker = new GrpclbPicker(new Drop[0], Picker.of(PickResult.withSubConn(a, childListener)));

    FakeBalancerClientConn.finishCall(picker.pick(info(new Metadata())), Status.OK);

    assertThat(heard).containsExactly("done OK");
    assertThat(recorder.report(Instant.EPOCH).getNumCallsFinished()).isEqualTo(1);
  }

  @Test
  void inFallbackPicksCarryNoTokenAndAreNotCounted() {
    Address plain = Address.of(new InetSocketAddress("127.0.0.1", 3));
    AtomicReference<Backend> created = new AtomicReference<>();
    conn.runInContext(() -> created.set(
        new Backend(conn.newSubConn(List.of(plain), SubConnOptions.of(s -> {})), List.of(plain), null, null, b -> {})));
    Backend a = created.get();
    GrpclbPicker picker = new GrpclbPicker(new Drop[0], Picker.of(PickResult.withSubConn(a)));
    Metadata headers = new Metadata();
    headers.put(GrpclbPicker.LB_TOKEN, "stale");

    PickResult picked = picker.pick(info(headers));
    FakeBalancerClientConn.finishCall(picked, Status.OK);

    assertThat(((PickResult.Complete) picked).headers()).isEmpty();
    assertThat(headers.getAll(GrpclbPicker.LB_TOKEN)).as("left as the call had it").containsExactly("stale");
    assertThat(recorder.report(Instant.EPOCH).getNumCallsStarted()).isZero();
  }

  @Test
  void turnsWalkTheListInOrderAndGiveEveryEntryItsShareUnderConcurrentPicks() throws Exception {
    GrpclbPicker.Turns turns = new GrpclbPicker.Turns(5);
    List<Integer> first = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(turns.next());
    }
    GrpclbPicker.Turns sequential = turns;
    Thread other = new Thread(() -> first.add(sequential.next())); // one after the other: no contention
    other.start();
    other.join();
    first.add(turns.next());
    first.add(turns.next());
    assertThat(first).as("turns of calls one after the other, from two threads").containsExactly(0, 1, 2, 3, 4, 0, 1);

    turns = new GrpclbPicker.Turns(5);
    int[] counts = new int[5];
    GrpclbPicker.Turns shared = turns;
    List<Thread> threads = new ArrayList<>();
    int[][] perThread = new int[4][5];
    for (int t = 0; t < 4; t++) {
      int[] mine = perThread[t];
      threads.add(new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          mine[shared.next()]++;
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    for (int[] mine : perThread) {
      for (int i = 0; i < 5; i++) {
        counts[i] += mine[i];
      }
    }
    // Each stripe walks the whole list: every entry gets its fifth of the 40 000 turns, to within
    // one turn per stripe.
    for (int c : counts) {
      assertThat(c).isBetween(8_000 - 64, 8_000 + 64);
    }
  }

  @Test
  void aChildsOwnHeadersGoOutWithTheTokenReplacingAChildsLbToken() {
    Backend a = backend(1, "ta");
    Metadata childHeaders = new Metadata();
    Metadata.Key<String> zone = Metadata.Key.of("x-zone", Metadata.ASCII_STRING_MARSHALLER);
    childHeaders.put(zone, "z1");
    childHeaders.put(GrpclbPicker.LB_TOKEN, "child");
    GrpclbPicker picker = new GrpclbPicker(new Drop[0],
        Picker.of(PickResult.withSubConn(a, PickListener.NONE, childHeaders)));

    PickResult.Complete c = (PickResult.Complete) picker.pick(info(new Metadata()));

    assertThat(tokens(c)).containsExactly("ta");
    assertThat(c.headers().orElseThrow().getAll(zone)).containsExactly("z1");
    assertThat(childHeaders.getAll(GrpclbPicker.LB_TOKEN)).containsExactly("child");
  }

  @Test
  void nonSubConnResultsOfTheChildPassThrough() {
    GrpclbPicker picker = new GrpclbPicker(new Drop[] {null}, Picker.of(PickResult.withNoResult()));
    assertThat(picker.pick(info(new Metadata()))).isSameAs(PickResult.withNoResult());
  }
}
