package dev.switchboard.balancer.grpclb.internal;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * grpclb's two-level round robin (grpc-java's {@code RoundRobinPicker}): first a turn of the
 * balancer's list, where a drop entry drops the call; otherwise the child policy's picker chooses
 * a backend, and the call gets that backend's {@code lb-token} and the load recorder as its pick
 * listener. The token goes as the result's headers ({@link PickResult.Complete#headers()}, grpc-go's
 * {@code PickResult.Metadata}): the channel adds it to the stream of the pick it uses, replacing any
 * {@code lb-token} the call had, so a call carries exactly one. A backend without a token (fallback,
 * an empty token) leaves the call's headers as they are.
 *
 * <p>So drops happen in their turn of the list, whatever the call's wait-for-ready, and the other
 * turns are spread by the child ({@code round_robin} rotates over the READY backends). Drops are
 * applied even while no backend is usable: the child's queueing or failing result comes only on a
 * backend turn.
 *
 * <p>Hot path: one compare-and-set on the turn counter (only if the list has drops; striped once
 * picks meet on it, see {@link Turns}), the child's pick, a type check (the child's subconns are
 * grpclb's {@link Backend}s) and a volatile read: the result, with its header (the token checked as
 * printable ASCII when it arrives), is built when the backend's token or the stream changes, not per
 * pick, so a pick writes no header and allocates nothing.
 *
 * <p>Immutable; thread-safe.
 */
final class GrpclbPicker implements Picker {

  /** The header carrying a backend's token, on every call to it. */
  static final Metadata.Key<String> LB_TOKEN = Metadata.Key.of("lb-token", Metadata.ASCII_STRING_MARSHALLER);

  /** The status of a dropped call, as grpc-java's. */
  static final Status DROPPED = Status.UNAVAILABLE.withDescription("grpclb: dropped as requested by the balancer");

  private static final PickResult DROP = PickResult.withDrop(DROPPED);

  private final Drop[] drops;
  private final Turns turns;
  private final Picker child;

  /**
   * Creates a picker.
   *
   * @param drops the balancer's list, one slot per entry: a {@link Drop} for a drop entry, {@code
   *     null} for a backend; empty when nothing is dropped
   * @param child the child policy's picker (whose subconns are {@link Backend}s), or a fixed result
   */
  GrpclbPicker(Drop[] drops, Picker child) {
    this.drops = hasDrop(drops) ? drops : null;
    this.turns = this.drops == null ? null : new Turns(drops.length);
    this.child = child;
  }

  private static boolean hasDrop(Drop[] drops) {
    for (Drop d : drops) {
      if (d != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public PickResult pick(PickInfo info) {
    if (drops != null) {
      Drop drop = drops[turns.next()];
      if (drop != null) {
        LoadRecorder.recordDrop(drop.counter);
        return DROP;
      }
    }
    PickResult picked = child.pick(info);
    if (!(picked instanceof PickResult.Complete)) {
      return picked;
    }
    PickResult.Complete complete = (PickResult.Complete) picked;
    if (!(complete.subConn() instanceof Backend)) {
      return picked; // not one of ours (cannot happen with a well-behaved child)
    }
    Backend.Tag tag = ((Backend) complete.subConn()).tag;
    PickListener childListener = complete.listener();
    if (childListener == PickListener.NONE && complete.headers().isEmpty()) {
      return tag.result; // built when the token or the stream last changed: nothing per pick
    }
    // A child that listens to its picks or adds headers of its own: both, built for this pick.
    PickListener listener = childListener == PickListener.NONE ? tag.result.listener()
        : new BothListeners(childListener, tag.result.listener());
    SubConn subConn = tag.result.subConn();
    Metadata childHeaders = complete.headers().orElse(null);
    if (childHeaders == null) {
      // Only a listener of the child's: the token's header as the tag built it, no copy.
      Metadata token = tag.result.headers().orElse(null);
      return token == null
          ? PickResult.withSubConn(subConn, listener)
          : PickResult.withSubConn(subConn, listener, token);
    }
    Metadata headers = new Metadata();
    headers.merge(childHeaders);
    if (tag.token != null) {
      headers.removeAll(LB_TOKEN);
      headers.put(LB_TOKEN, tag.token);
    }
    return PickResult.withSubConn(subConn, listener, headers);
  }

  @Override
  public String toString() {
    return "GrpclbPicker{" + (drops == null ? 0 : drops.length) + " list entries with drops, child=" + child + "}";
  }

  /** A drop entry of the list: its token's counter in the recorder of the stream that sent it. */
  static final class Drop {
    final LongAdder counter;
    final String token;

    Drop(LoadRecorder recorder, String token) {
      this.token = token;
      this.counter = recorder.dropCounter(token);
    }

    @Override
    public String toString() {
      return "drop(" + token + ")";
    }
  }

  /**
   * Whose turn of the list it is. It starts as one counter, so calls picked one after the other
   * (from any threads) take the list's turns in order, as with grpc-java's and grpc-go's single
   * counter. The first time two picks meet on it (a compare-and-set fails) it splits for good into
   * stripes, one per thread id modulo a power of two of at least twice the processors, each walking
   * the whole list, so that concurrent pickers stop fighting over one cache line while every entry
   * keeps its share. A stripe holds its position in the list (no division per turn); stripes are
   * 128 bytes apart. Thread-safe and lock-free.
   */
  static final class Turns {
    private static final int PAD = 32; // ints per stripe: 128 bytes
    private static final int STRIPES =
        Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 4 - 1)));

    private final AtomicIntegerArray positions = new AtomicIntegerArray((STRIPES + 1) * PAD);
    private final int length;
    private volatile boolean split;

    Turns(int length) {
      this.length = length;
    }

    /** Returns the calling thread's next position, 0 to length - 1. */
    int next() {
      if (!split) {
        int position = positions.get(PAD);
        if (positions.compareAndSet(PAD, position, position + 1 == length ? 0 : position + 1)) {
          return position;
        }
        split = true; // two picks met: stripes from now on
      }
      int index = (stripeOf(Thread.currentThread()) + 1) * PAD;
      while (true) {
        int position = positions.get(index);
        if (positions.compareAndSet(index, position, position + 1 == length ? 0 : position + 1)) {
          return position;
        }
      }
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same value.
    private static int stripeOf(Thread thread) {
      return (int) thread.getId() & (STRIPES - 1);
    }
  }

  /** The child's own listener and the load recorder's, for a child that listens to its picks. */
  private static final class BothListeners implements PickListener {
    private final PickListener first;
    private final PickListener second;

    BothListeners(PickListener first, PickListener second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void onStarted() {
      first.onStarted();
      second.onStarted();
    }

    @Override
    public void onDone(dev.switchboard.channel.api.balancer.DoneInfo info) {
      first.onDone(info);
      second.onDone(info);
    }
  }
}
