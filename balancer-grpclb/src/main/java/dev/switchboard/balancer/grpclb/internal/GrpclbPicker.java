package dev.switchboard.balancer.grpclb.internal;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * grpclb's two-level round robin (grpc-java's {@code RoundRobinPicker}): first a turn of the
 * balancer's list, where a drop entry drops the call; otherwise the child policy's picker chooses
 * a backend, and the call gets that backend's {@code lb-token} (exactly one: any other value in the
 * pick's headers is removed first) and the load recorder as its pick listener.
 *
 * <p>So drops happen in their turn of the list, whatever the call's wait-for-ready, and the other
 * turns are spread by the child ({@code round_robin} rotates over the READY backends). Drops are
 * applied even while no backend is usable: the child's queueing or failing result comes only on a
 * backend turn.
 *
 * <p>Hot path: one atomic increment (only if the list has drops), the child's pick, one identity
 * map lookup, and two header edits; results are built when the backend's token or the stream
 * changes, not per pick, so a pick allocates nothing of its own.
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
  private final AtomicLong turn = new AtomicLong();
  private final Picker child;
  private final Map<SubConn, Backend> backends;

  /**
   * Creates a picker.
   *
   * @param drops the balancer's list, one slot per entry: a {@link Drop} for a drop entry, {@code
   *     null} for a backend; empty when nothing is dropped
   * @param child the child policy's picker, or a fixed result
   * @param backends the backends by their channel subconn ({@link SubConn#underlying()})
   */
  GrpclbPicker(Drop[] drops, Picker child, Map<SubConn, Backend> backends) {
    this.drops = hasDrop(drops) ? drops : null;
    this.child = child;
    this.backends = backends;
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
      Drop drop = drops[(int) Long.remainderUnsigned(turn.getAndIncrement(), drops.length)];
      if (drop != null) {
        drop.recorder.recordDrop(drop.counter);
        return DROP;
      }
    }
    PickResult picked = child.pick(info);
    if (!(picked instanceof PickResult.Complete)) {
      return picked;
    }
    PickResult.Complete complete = (PickResult.Complete) picked;
    Backend backend = backends.get(complete.subConn().underlying());
    if (backend == null) {
      return picked; // not one of ours (cannot happen with a well-behaved child)
    }
    Backend.Tag tag = backend.tag;
    Metadata headers = info.headers();
    headers.removeAll(LB_TOKEN);
    if (tag.token != null) {
      headers.put(LB_TOKEN, tag.token);
    }
    PickListener childListener = complete.listener();
    if (childListener == PickListener.NONE) {
      return tag.result;
    }
    return PickResult.withSubConn(tag.result.subConn(), new BothListeners(childListener, tag.result.listener()));
  }

  @Override
  public String toString() {
    return "GrpclbPicker{" + (drops == null ? 0 : drops.length) + " list entries with drops, child=" + child + "}";
  }

  /** A drop entry of the list: its token's counter in the recorder of the stream that sent it. */
  static final class Drop {
    final LoadRecorder recorder;
    final AtomicLong counter;
    final String token;

    Drop(LoadRecorder recorder, String token) {
      this.recorder = recorder;
      this.token = token;
      this.counter = recorder.dropCounter(token);
    }

    @Override
    public String toString() {
      return "drop(" + token + ")";
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
