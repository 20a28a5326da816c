package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoScenarioTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /**
   * Round robin over the running backends; a restarted backend is picked again at once. Its
   * methods are synchronized: the scenario calls from several threads.
   */
  private static class FakeRoundRobin implements DemoScenario.Fleet, Caller {
    final List<String> names = List.of("b1", "b2", "b3");
    final List<String> running = new ArrayList<>(names);
    int next;

    @Override
    public List<String> names() {
      return names;
    }

    @Override
    public synchronized void stop(String name) {
      running.remove(name);
    }

    @Override
    public synchronized void start(String name) {
      running.add(name);
    }

    @Override
    public synchronized Caller.Outcome call() {
      String backend = running.get(next++ % running.size());
      return new Caller.Outcome(backend, Status.Code.OK, 1_000_000);
    }
  }

  private String out() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void tellsTheStoryWhenTrafficMovesAndComesBack() throws Exception {
    FakeRoundRobin rr = new FakeRoundRobin();
    new DemoScenario(rr, rr, out, 9, 4, Duration.ofSeconds(5)).run();
    assertThat(out()).contains(
        "== 9 calls over b1, b2, b3\n9 calls in ",
        "== calls 4 at a time; b2 shuts down (GOAWAY) after 9 of them, the calls go on until 9 more\n",
        "== starting b2 again\nb2 rejoined after ");
    // The phase with b2 down shows only the two others.
    String live = out().substring(out().indexOf("== calls 4"), out().indexOf("== starting"));
    assertThat(live).containsPattern("  of which after b2 stopped: \\d+ calls, \\{b1=\\d+, b3=\\d+\\}\n");
    assertThat(out()).endsWith("status:\n  OK  9\nlatency: p50 1.00 ms, p90 1.00 ms, p99 1.00 ms,"
        + " max 1.00 ms\n");
  }

  @Test
  void failedCallAfterTheStopEndsTheDemoWithOneLine() {
    FakeRoundRobin rr = new FakeRoundRobin() {
      boolean failed;

      @Override
      public synchronized Caller.Outcome call() {
        Caller.Outcome o = super.call();
        // A channel that picks the stopped backend for one call.
        if (running.size() < 3 && !failed) {
          failed = true;
          return new Caller.Outcome(CallStats.NO_BACKEND, Status.Code.UNAVAILABLE, 1);
        }
        return o;
      }
    };
    assertThatThrownBy(() -> new DemoScenario(rr, rr, out, 9, 4, Duration.ofSeconds(5)).run())
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("demo: 1 of ")
        .hasMessageContaining(" calls failed while b2 stopped (expected: none; status: {OK=")
        .hasMessageEndingWith(", UNAVAILABLE=1})");
  }

  @Test
  void backendThatNeverRejoinsEndsTheDemoAfterTheTimeout() {
    FakeRoundRobin rr = new FakeRoundRobin() {
      @Override
      public void start(String name) {
        // The channel never reconnects.
      }
    };
    assertThatThrownBy(() -> new DemoScenario(rr, rr, out, 9, 4, Duration.ofMillis(20)).run())
        .hasMessageStartingWith("demo: b2 served no call within 20 ms of starting again (");
  }

  @Test
  void backendThatGetsNoCallsFailsTheFirstPhase() {
    FakeRoundRobin rr = new FakeRoundRobin() {
      @Override
      public Caller.Outcome call() {
        return new Caller.Outcome("b1", Status.Code.OK, 1);
      }
    };
    assertThatThrownBy(() -> new DemoScenario(rr, rr, out, 9, 4, Duration.ofSeconds(5)).run())
        .hasMessage("demo: b2 served none of 9 calls with every backend up (spread: {b1=9})");
  }
}
