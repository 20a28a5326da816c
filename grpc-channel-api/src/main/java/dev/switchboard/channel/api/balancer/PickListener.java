package dev.switchboard.channel.api.balancer;

/**
 * Hears what became of one {@link PickResult.Complete}: whether the channel started a stream for
 * it, and how that pick ended. Balancers use it for per-pick bookkeeping: calls in flight per
 * subconn (least_request), load reports (grpclb's client stats).
 *
 * <h2>The rules</h2>
 *
 * <ul>
 *   <li>{@link #onDone} is called exactly once for every {@code Complete} a picker returns, also
 *       for a pick the channel does not use (its subconn stopped being {@code READY} before the
 *       stream opened, the call was cancelled, the channel shut down): then {@link
 *       DoneInfo#started()} is {@code false} and the status says why.
 *   <li>{@link #onStarted} is called at most once, before {@code onDone}, when the pick's stream
 *       starts on the connection: what grpclb counts as a call started.
 *   <li>Either may run after the balancer that made the picker is closed.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * <p>Thread-safe: called on arbitrary threads (the caller's, the transport's, the synchronization
 * context), concurrently for different picks. Must not block or throw; an exception is logged and
 * ignored.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PickListener {

  /** A listener that ignores everything. */
  PickListener NONE = info -> {};

  /** The pick's stream started on the subconn's connection. Default: nothing. */
  default void onStarted() {}

  /** The pick is over: its call ended, or the channel did not use it. Called exactly once. */
  void onDone(DoneInfo info);
}
