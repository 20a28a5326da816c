package dev.switchboard.balancer.grpclb.internal;

import com.google.protobuf.Timestamp;
import dev.switchboard.balancer.grpclb.internal.lb.v1.ClientStats;
import dev.switchboard.balancer.grpclb.internal.lb.v1.ClientStatsPerToken;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the calls of one balancer stream for its client load reports ({@code ClientStats}), as
 * grpc-java's {@code GrpclbClientLoadRecorder} does, from per-pick bookkeeping:
 *
 * <ul>
 *   <li>a pick whose stream started ({@link PickListener#onStarted}) is a call started; its {@link
 *       PickListener#onDone} is a call finished, "with client failed to send" if the stream never
 *       reached the server, and "known received" if the server answered with headers;
 *   <li>a pick the channel did not use (its subconn was not READY, the call was cancelled before
 *       its stream) counts nothing: the call is counted on the pick that carries it;
 *   <li>a drop counts as a call started and finished, and under its token.
 * </ul>
 *
 * <p>So the counts balance: every call started is finished once, however often its subconn
 * bounced. {@link #report} takes the counts and resets them ({@link LongAdder#sumThenReset}, an
 * atomic get-and-set per cell, so a count made during a report lands in this report or the next,
 * never in neither).
 *
 * <p>Thread-safe and lock-free; recording allocates nothing once a thread has its adder cell.
 */
final class LoadRecorder {
  // LongAdders: threads on different cores count without contending; sumThenReset takes each cell
  // with an atomic get-and-set, so no count is lost to a report running at the same time.
  private final LongAdder started = new LongAdder();
  private final LongAdder finished = new LongAdder();
  private final LongAdder failedToSend = new LongAdder();
  private final LongAdder knownReceived = new LongAdder();
  /**
   * Drops per token; a counter stays once created (the tokens of one stream). A drop is also a
   * call started and finished: added to those at report time, so a drop costs one count.
   */
  private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();

  /** The listener given with every pick of a backend with a token while this stream is current. */
  final PickListener listener = new PickListener() {
    @Override
    public void onStarted() {
      started.increment();
    }

    @Override
    public void onDone(DoneInfo info) {
      if (!info.started()) {
        return;
      }
      finished.increment();
      if (!info.sentToServer()) {
        failedToSend.increment();
      }
      if (info.receivedFromServer()) {
        knownReceived.increment();
      }
    }

    @Override
    public String toString() {
      return "grpclb load recorder";
    }
  };

  /** Returns the drop counter of {@code token}, created on first use; for the picker's drop entries. */
  LongAdder dropCounter(String token) {
    return drops.computeIfAbsent(token, t -> new LongAdder());
  }

  /** Records one call dropped, counted on {@code counter} (from {@link #dropCounter}). */
  static void recordDrop(LongAdder counter) {
    counter.increment();
  }

  /** Returns the counts since the last report, stamped {@code now}, and resets them. */
  ClientStats report(Instant now) {
    ClientStats.Builder stats = ClientStats.newBuilder()
        .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
    long dropped = 0;
    for (Map.Entry<String, LongAdder> drop : drops.entrySet()) {
      long n = drop.getValue().sumThenReset();
      if (n > 0) {
        dropped += n;
        stats.addCallsFinishedWithDrop(
            ClientStatsPerToken.newBuilder().setLoadBalanceToken(drop.getKey()).setNumCalls(n));
      }
    }
    return stats
        .setNumCallsStarted(started.sumThenReset() + dropped)
        .setNumCallsFinished(finished.sumThenReset() + dropped)
        .setNumCallsFinishedWithClientFailedToSend(failedToSend.sumThenReset())
        .setNumCallsFinishedKnownReceived(knownReceived.sumThenReset())
        .build();
  }

  @Override
  public String toString() {
    return "LoadRecorder{started=" + started + ", finished=" + finished + "}";
  }
}
