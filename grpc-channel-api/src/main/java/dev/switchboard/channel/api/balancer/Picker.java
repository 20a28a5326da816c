package dev.switchboard.channel.api.balancer;

/**
 * Chooses a subconn for each call; a balancer publishes a new picker whenever its choices change.
 *
 * <h2>Threading</h2>
 *
 * <p>Thread-safe. {@link #pick} runs concurrently on the callers' threads: it is the hot path. It
 * must not block, should not lock, and should not allocate: build the results when the picker is
 * built. A picker is an immutable snapshot; the balancer replaces it rather than changing it.
 *
 * <h2>Picks, not calls</h2>
 *
 * <p>{@code pick} may run many times for one call: while it waits for a new picker, after a
 * {@link PickResult.Complete} whose subconn was no longer {@code READY}, after a stream refused
 * before the server saw it. Bookkeeping is per pick: every {@code Complete} gets exactly one
 * {@link PickListener#onDone}, also when the channel does not use it, and what a pick adds to
 * {@link PickInfo#headers()} goes out only with that pick's stream. A pick's {@code onDone} may
 * come after the balancer that published the picker is closed. See {@link PickListener}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Picker {

  /**
   * Picks for one call. Must not throw: a picker that throws fails the call with
   * {@link dev.switchboard.channel.api.Status.Code#INTERNAL} naming the picker.
   */
  PickResult pick(PickInfo info);

  /** Returns a picker that always gives {@code result}. */
  static Picker of(PickResult result) {
    return info -> result;
  }
}
