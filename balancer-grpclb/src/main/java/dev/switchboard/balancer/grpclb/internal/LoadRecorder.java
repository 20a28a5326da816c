package dev.switchboard.balancer.grpclb.internal;

import com.google.protobuf.Timestamp;
import dev.switchboard.balancer.grpclb.internal.lb.v1.ClientStats;
import dev.switchboard.balancer.grpclb.internal.lb.v1.ClientStatsPerToken;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
 * bounced. {@link #report} takes the counts and resets them (an atomic get-and-set each, so a count
 * made during a report lands in this report or the next, never in neither).
 *
 * <p>Thread-safe and lock-free; recording allocates nothing.
 */
final class LoadRecorder {
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong failedToSend = new AtomicLong();
  private final AtomicLong knownReceived = new AtomicLong();
  /** Drops per token; a counter stays once created (the tokens of one stream). */
  private final Map<String, AtomicLong> drops = new ConcurrentHashMap<>();

  /** The listener given with every pick of a backend with a token while this stream is current. */
  final PickListener listener = new PickListener() {
    @Override
    public void onStarted() {
      started.incrementAndGet();
    }

    @Override
    public void onDone(DoneInfo info) {
      if (!info.started()) {
        return;
      }
      finished.incrementAndGet();
      if (!info.sentToServer()) {
        failedToSend.incrementAndGet();
      }
      if (info.receivedFromServer()) {
        knownReceived.incrementAndGet();
      }
    }

    @Override
    public String toString() {
      return "grpclb load recorder";
    }
  };

  /** Returns the drop counter of {@code token}, created on first use; for the picker's drop entries. */
  AtomicLong dropCounter(String token) {
    return drops.computeIfAbsent(token, t -> new AtomicLong());
  }

  /** Records one call dropped, counted on {@code counter} (from {@link #dropCounter}). */
  void recordDrop(AtomicLong counter) {
    started.incrementAndGet();
    finished.incrementAndGet();
    counter.incrementAndGet();
  }

  /** Returns the counts since the last report, stamped {@code now}, and resets them. */
  ClientStats report(Instant now) {
    ClientStats.Builder stats = ClientStats.newBuilder()
        .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setNumCallsStarted(started.getAndSet(0))
        .setNumCallsFinished(finished.getAndSet(0))
        .setNumCallsFinishedWithClientFailedToSend(failedToSend.getAndSet(0))
        .setNumCallsFinishedKnownReceived(knownReceived.getAndSet(0));
    for (Map.Entry<String, AtomicLong> drop : drops.entrySet()) {
      long n = drop.getValue().getAndSet(0);
      if (n > 0) {
        stats.addCallsFinishedWithDrop(
            ClientStatsPerToken.newBuilder().setLoadBalanceToken(drop.getKey()).setNumCalls(n));
      }
    }
    return stats.build();
  }

  @Override
  public String toString() {
    return "LoadRecorder{started=" + started + ", finished=" + finished + "}";
  }
}
