package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import java.util.Optional;

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
    return new Complete(subConn, PickListener.NONE, null);
  }

  /**
   * Returns a result that sends the call to {@code subConn}; {@code listener} hears what became of
   * this pick (see {@link PickListener} for the rules). One result may be returned by many picks:
   * each of them is reported to the listener.
   */
  static PickResult withSubConn(SubConn subConn, PickListener listener) {
    return new Complete(subConn, listener, null);
  }

  /**
   * Returns a result that sends the call to {@code subConn} with {@code headers} added to its
   * request headers (grpc-go's {@code PickResult.Metadata}): for a header a picker adds to every
   * call it sends to one subconn, such as grpclb's {@code lb-token}, built once with the result
   * instead of written into {@link PickInfo#headers()} on every pick. The channel adds them only to
   * the stream of a pick it uses, each name once: a header of the call with a name in {@code
   * headers} is replaced, not repeated. The channel does not change {@code headers}; neither may the
   * picker once it has returned the result.
   *
   * @since 0.1
   */
  static PickResult withSubConn(SubConn subConn, PickListener listener, Metadata headers) {
    return new Complete(subConn, listener, requireNonNull(headers, "headers"));
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
    private final Metadata headers;

    private Complete(SubConn subConn, PickListener listener, Metadata headers) {
      this.subConn = requireNonNull(subConn, "subConn");
      this.listener = requireNonNull(listener, "listener");
      this.headers = headers;
    }

    /**
     * Returns the headers the channel adds to this pick's stream, replacing the call's headers of
     * the same names, if the result was made with some. Do not change them.
     */
    public Optional<Metadata> headers() {
      return Optional.ofNullable(headers);
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
