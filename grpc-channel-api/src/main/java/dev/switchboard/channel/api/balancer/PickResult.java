package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Status;

/**
 * The answer of a {@link Picker}: a subconn, "no result yet", an error, or a drop.
 *
 * <ul>
 *   <li>{@link Complete}: the call goes to the subconn. If the subconn is not {@code READY} when the
 *       channel opens the stream, the pick is not used (its {@link PickListener} hears {@code onDone}
 *       with {@link DoneInfo#started()} {@code false}) and the call is picked again with the next
 *       picker.
 *   <li>{@link Queue}: the call waits for the next picker.
 *   <li>{@link Fail}: a fail-fast call fails with the status; a wait-for-ready call waits for the
 *       next picker.
 *   <li>{@link Drop}: the call fails with the status, even if it is wait-for-ready.
 * </ul>
 *
 * <p>Immutable. The variants are final classes, not records, so that they can gain fields; create
 * them with the static factories. Pickers should create their results once per picker, not per
 * pick.
 *
 * @since 0.1
 */
public sealed interface PickResult permits PickResult.Complete, PickResult.Queue, PickResult.Fail,
    PickResult.Drop {

  /** The one "no result yet" value. */
  PickResult NO_RESULT = new Queue();

  /** Returns a result that sends the call to {@code subConn}. */
  static PickResult withSubConn(SubConn subConn) {
    return new Complete(subConn, PickListener.NONE);
  }

  /**
   * Returns a result that sends the call to {@code subConn}; {@code listener} hears what became of
   * this pick (see {@link PickListener} for the rules). One result may be returned by many picks:
   * each of them is reported to the listener.
   */
  static PickResult withSubConn(SubConn subConn, PickListener listener) {
    return new Complete(subConn, listener);
  }

  /** Returns "no result yet". */
  static PickResult withNoResult() {
    return NO_RESULT;
  }

  /** Returns an error result; {@code error} must not be OK. */
  static PickResult withError(Status error) {
    return new Fail(error);
  }

  /** Returns a drop; {@code status} must not be OK. */
  static PickResult withDrop(Status status) {
    return new Drop(status);
  }

  /** The call goes to {@link #subConn()}; {@link #listener()} hears how the pick ended. */
  final class Complete implements PickResult {
    private final SubConn subConn;
    private final PickListener listener;

    private Complete(SubConn subConn, PickListener listener) {
      this.subConn = requireNonNull(subConn, "subConn");
      this.listener = requireNonNull(listener, "listener");
    }

    /** Returns the subconn picked. */
    public SubConn subConn() {
      return subConn;
    }

    /** Returns the listener of this pick; {@link PickListener#NONE} when none was given. */
    public PickListener listener() {
      return listener;
    }

    @Override
    public String toString() {
      return "Complete{" + subConn + "}";
    }
  }

  /** No result yet: the call waits for the next picker. */
  final class Queue implements PickResult {
    private Queue() {}

    @Override
    public String toString() {
      return "Queue";
    }
  }

  /** An error: fail-fast calls fail with {@link #status()}, wait-for-ready calls wait. */
  final class Fail implements PickResult {
    private final Status status;

    private Fail(Status status) {
      this.status = notOk(status);
    }

    /** Returns the error. */
    public Status status() {
      return status;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Fail && ((Fail) o).status.equals(status);
    }

    @Override
    public int hashCode() {
      return status.hashCode();
    }

    @Override
    public String toString() {
      return "Fail{" + status + "}";
    }
  }

  /** A drop: the call fails with {@link #status()}, even if it is wait-for-ready. */
  final class Drop implements PickResult {
    private final Status status;

    private Drop(Status status) {
      this.status = notOk(status);
    }

    /** Returns the reason. */
    public Status status() {
      return status;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Drop && ((Drop) o).status.equals(status);
    }

    @Override
    public int hashCode() {
      return status.hashCode();
    }

    @Override
    public String toString() {
      return "Drop{" + status + "}";
    }
  }

  private static Status notOk(Status status) {
    requireNonNull(status, "status");
    if (status.isOk()) {
      throw new IllegalArgumentException("status: OK (expected: an error)");
    }
    return status;
  }
}
