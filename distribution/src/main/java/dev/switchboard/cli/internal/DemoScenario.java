package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The story {@code switchboard demo} tells, independent of how backends run and calls are made:
 *
 * <ol>
 *   <li>calls through {@code round_robin} reach every backend;
 *   <li>one backend stops mid-run, with {@code concurrency} calls in flight: none fails, and the
 *       calls that start after it stopped are served by the others;
 *   <li>it starts again, and calls reach it again within a bound;
 *   <li>a last round shows the spread back over every backend.
 * </ol>
 *
 * <p>Each phase prints its spread with {@link CallReport}. No call may fail in any phase. A phase
 * whose expectation fails ends the scenario with a one-line {@link CliException} saying what went
 * wrong.
 *
 * <p>Not thread-safe: runs once on the main thread.
 */
final class DemoScenario {

  /** The backends of the demo, by name. */
  interface Fleet {
    /** Returns the names of the backends, all running when the scenario starts. */
    List<String> names();

    /**
     * Stops {@code name} letting its calls in flight finish (GOAWAY); it refuses connections
     * until started.
     */
    void stop(String name) throws InterruptedException;

    /** Starts {@code name} again on the same address. */
    void start(String name) throws InterruptedException;
  }

  private final Fleet fleet;
  private final Caller caller;
  private final PrintStream out;
  private final int callsPerPhase;
  private final int concurrency;
  private final Duration rejoinTimeout;

  DemoScenario(Fleet fleet, Caller caller, PrintStream out, int callsPerPhase, int concurrency,
      Duration rejoinTimeout) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: 1 or more)");
    }
    this.concurrency = concurrency;
    this.fleet = requireNonNull(fleet, "fleet");
    this.caller = requireNonNull(caller, "caller");
    this.out = requireNonNull(out, "out");
    this.callsPerPhase = callsPerPhase;
    this.rejoinTimeout = requireNonNull(rejoinTimeout, "rejoinTimeout");
  }

  /** Runs the story; returns when it has been told, or fails with the first broken expectation. */
  void run() throws CliException, InterruptedException {
    List<String> names = fleet.names();
    if (names.size() < 2) {
      throw new IllegalStateException("names: " + names + " (expected: at least 2 backends)");
    }
    String victim = names.get(names.size() / 2);

    out.println("== " + callsPerPhase + " calls over " + String.join(", ", names));
    expectServedBy(phase(), names, "with every backend up");

    out.println("== calls " + concurrency + " at a time; " + victim + " shuts down (GOAWAY) after "
        + callsPerPhase + " of them, the calls go on until " + callsPerPhase + " more");
    StopMidRun live = new StopMidRun(victim);
    CallRunner.Result run = new CallRunner(live).runUntil(live::done, concurrency);
    out.print(CallReport.render(run.stats(), run.elapsed()));
    CallStats.Snapshot after = live.afterStop.snapshot();
    out.println("  of which after " + victim + " stopped: " + after.calls() + " calls, "
        + after.perBackend());
    expectServedBy(run.stats(), List.of(), "while " + victim + " stopped");
    // The stopped backend need not serve zero calls after its stop: a call picked before the
    // channel saw it go may still complete there. What matters is that none fails.
    expectServedBy(after, names.stream().filter(n -> !n.equals(victim)).toList(),
        "after " + victim + " stopped");

    out.println("== starting " + victim + " again");
    fleet.start(victim);
    awaitRejoin(victim);

    out.println("== " + callsPerPhase + " calls over " + String.join(", ", names));
    expectServedBy(phase(), names, "after " + victim + " came back");
  }

  private CallStats.Snapshot phase() throws InterruptedException {
    CallRunner.Result run = new CallRunner(caller).run(callsPerPhase, concurrency,
        new ProgressBar(out, callsPerPhase, false));
    out.print(CallReport.render(run.stats(), run.elapsed()));
    return run.stats();
  }

  /**
   * The caller of the live phase: the worker that completes call {@code callsPerPhase} stops the
   * victim while the other workers' calls are in flight; calls that start after the stop returned
   * are also counted apart. Thread-safe.
   */
  private final class StopMidRun implements Caller {
    private final String victim;
    private final AtomicInteger completed = new AtomicInteger();
    private final CallStats afterStop = new CallStats();
    private volatile boolean stopped;

    StopMidRun(String victim) {
      this.victim = victim;
    }

    boolean done() {
      return stopped && afterStop.count() >= callsPerPhase;
    }

    @Override
    public Outcome call() throws InterruptedException {
      boolean startedAfterStop = stopped;
      Outcome o = caller.call();
      if (startedAfterStop) {
        afterStop.record(o.backend(), o.code(), o.latencyNanos());
      }
      if (completed.incrementAndGet() == callsPerPhase) {
        fleet.stop(victim);
        stopped = true;
      }
      return o;
    }
  }

  private void awaitRejoin(String victim) throws CliException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + rejoinTimeout.toNanos();
    int calls = 0;
    while (true) {
      Caller.Outcome o = caller.call();
      calls++;
      if (o.code() != Status.Code.OK) {
        throw CliException.failure("demo: a call failed with " + o.code() + " while " + victim
            + " was rejoining (expected: none)");
      }
      if (o.backend().equals(victim)) {
        out.println(victim + " rejoined after " + calls + (calls == 1 ? " call, " : " calls, ")
            + CallReport.millis(System.nanoTime() - start));
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw CliException.failure("demo: " + victim + " served no call within "
            + rejoinTimeout.toMillis() + " ms of starting again (" + calls + " calls)");
      }
    }
  }

  /** Fails unless every call succeeded and each of {@code names} served at least one. */
  private static void expectServedBy(CallStats.Snapshot stats, List<String> names, String when)
      throws CliException {
    if (stats.failures() > 0) {
      throw CliException.failure("demo: " + stats.failures() + " of " + stats.calls()
          + " calls failed " + when + " (expected: none; status: " + stats.perCode() + ")");
    }
    for (String name : names) {
      if (stats.perBackend().getOrDefault(name, 0) == 0) {
        throw CliException.failure("demo: " + name + " served none of " + stats.calls()
            + " calls " + when + " (spread: " + stats.perBackend() + ")");
      }
    }
  }
}
