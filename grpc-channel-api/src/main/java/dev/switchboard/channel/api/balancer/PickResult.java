package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Status;
import java.util.function.Consumer;

/**
 * The answer of a {@link Picker}: a subconn, "no result yet", an error, or a drop.
 *
 * <ul>
 *   <li>{@link Complete}: the call goes to the subconn; if it is not READY when the stream is
 *       opened, the call is re-picked.
 *   <li>{@link Queue}: the call waits for the next picker.
 *   <li>{@link Fail}: a fail-fast call fails with the status; a wait-for-ready call waits for the
 *       next picker.
 *   <li>{@link Drop}: the call fails with the status, even if it is wait-for-ready.
 * </ul>
 *
 * <p>Immutable. Pickers should create their results once per picker, not per pick.
 *
 * @since 0.1
 */
public sealed interface PickResult {

  /**
   * The call goes to {@code subConn}; {@code onDone} hears how it ended.
   *
   * @param subConn the subconn picked
   * @param onDone called once when the call ends, on an arbitrary thread; must not block
   */
  record Complete(SubConn subConn, Consumer<DoneInfo> onDone) implements PickResult {
    /** Checks the components. */
    public Complete {
      requireNonNull(subConn, "subConn");
      requireNonNull(onDone, "onDone");
    }
  }

  /** No result yet: the call waits for the next picker. */
  record Queue() implements PickResult {}

  /**
   * An error: fail-fast calls fail with {@code status}, wait-for-ready calls wait.
   *
   * @param status the error, not OK
   */
  record Fail(Status status) implements PickResult {
    /** Checks the status. */
    public Fail {
      requireNonNull(status, "status");
      if (status.isOk()) {
        throw new IllegalArgumentException("status: OK (expected: an error)");
      }
    }
  }

  /**
   * A drop: the call fails with {@code status}, even if it is wait-for-ready.
   *
   * @param status the reason, not OK
   */
  record Drop(Status status) implements PickResult {
    /** Checks the status. */
    public Drop {
      requireNonNull(status, "status");
      if (status.isOk()) {
        throw new IllegalArgumentException("status: OK (expected: an error)");
      }
    }
  }

  /** The one "no result yet" value. */
  PickResult NO_RESULT = new Queue();

  /** Returns a result that sends the call to {@code subConn}. */
  static PickResult withSubConn(SubConn subConn) {
    return new Complete(subConn, info -> {});
  }

  /** Returns a result that sends the call to {@code subConn} and reports how it ended. */
  static PickResult withSubConn(SubConn subConn, Consumer<DoneInfo> onDone) {
    return new Complete(subConn, onDone);
  }

  /** Returns "no result yet". */
  static PickResult withNoResult() {
    return NO_RESULT;
  }

  /** Returns an error result. */
  static PickResult withError(Status error) {
    return new Fail(error);
  }

  /** Returns a drop. */
  static PickResult withDrop(Status status) {
    return new Drop(status);
  }
}
