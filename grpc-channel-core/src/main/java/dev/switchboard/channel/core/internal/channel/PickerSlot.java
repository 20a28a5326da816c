package dev.switchboard.channel.core.internal.channel;

import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Picker;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The channel's current picker and the calls waiting for a better one (grpc-java's
 * {@code DelayedClientTransport}, reduced to its queue).
 *
 * <p>Thread-safe. Reading the picker is one volatile read: the hot path takes no lock. A call that
 * could not be picked {@linkplain #enqueue enqueues} itself under the lock, and only if the picker
 * it tried is still the current one; otherwise it picks again with the newer picker, so a call can
 * never miss a picker published between its pick and its enqueue. {@link #publish} runs on the
 * synchronization context and re-picks every waiting call with the new picker.
 */
final class PickerSlot {

  /** One published picker; compared by identity to detect a newer one. {@code picker} may be null. */
  static final class Version {
    final Picker picker;

    Version(Picker picker) {
      this.picker = picker;
    }
  }

  /** What happened to a call that asked to wait. */
  enum Enqueued {
    /** It waits for the next picker. */
    QUEUED,
    /** A newer picker exists: pick again with it. */
    REPICK,
    /** The channel is shut down: fail the call. */
    SHUT_DOWN
  }

  private final Object lock = new Object();
  private volatile Version current = new Version(null);
  // Guarded by lock.
  private final Set<ChannelCall<?, ?>> waiting = new LinkedHashSet<>();
  // Guarded by lock.
  private boolean shutdown;

  /** Returns the current picker version; its picker is null before the balancer published one. */
  Version current() {
    return current;
  }

  /** Makes {@code call} wait for the next picker, unless {@code tried} is no longer current. */
  Enqueued enqueue(ChannelCall<?, ?> call, Version tried) {
    synchronized (lock) {
      if (shutdown) {
        return Enqueued.SHUT_DOWN;
      }
      if (tried != current) {
        return Enqueued.REPICK;
      }
      waiting.add(call);
      return Enqueued.QUEUED;
    }
  }

  /**
   * Stops {@code call} from waiting (it was picked, failed or cancelled); returns whether it was
   * waiting. A waiting call claims itself this way before acting on a pick, so that it is either
   * started by a pick or failed by {@link #shutdown()}, never both.
   */
  boolean remove(ChannelCall<?, ?> call) {
    synchronized (lock) {
      return waiting.remove(call);
    }
  }

  /** Returns whether any call is waiting. */
  boolean hasWaiting() {
    synchronized (lock) {
      return !waiting.isEmpty();
    }
  }

  /**
   * Publishes {@code picker} and re-picks every waiting call with it. Called on the
   * synchronization context, so re-picks of one call never overlap.
   */
  void publish(Picker picker) {
    Version version = new Version(picker);
    List<ChannelCall<?, ?>> toRepick;
    synchronized (lock) {
      current = version;
      toRepick = new ArrayList<>(waiting);
    }
    for (ChannelCall<?, ?> call : toRepick) {
      call.repickWhileWaiting(version);
    }
  }

  /** Refuses further waiting and returns the calls that were waiting, for the caller to fail. */
  List<ChannelCall<?, ?>> shutdown() {
    synchronized (lock) {
      shutdown = true;
      List<ChannelCall<?, ?>> calls = new ArrayList<>(waiting);
      waiting.clear();
      return calls;
    }
  }

  /** The status of calls refused because the channel shut down. */
  static final Status SHUT_DOWN_STATUS = Status.UNAVAILABLE.withDescription("channel shut down");
}
