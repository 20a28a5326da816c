package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;

/**
 * The state of a {@link SubConn}: a connectivity state and, for
 * {@link ConnectivityState#TRANSIENT_FAILURE}, the error of the last attempt.
 *
 * <p>Immutable. A final class with factories, so that it can gain fields.
 *
 * @since 0.1
 */
public final class SubConnState {
  private final ConnectivityState state;
  private final Status status;

  private SubConnState(ConnectivityState state, Status status) {
    this.state = state;
    this.status = status;
  }

  /**
   * Returns a state other than {@code TRANSIENT_FAILURE}.
   *
   * @throws IllegalArgumentException for {@code TRANSIENT_FAILURE}, which needs its error
   */
  public static SubConnState of(ConnectivityState state) {
    requireNonNull(state, "state");
    if (state == ConnectivityState.TRANSIENT_FAILURE) {
      throw new IllegalArgumentException("state: TRANSIENT_FAILURE (expected: forTransientFailure(error))");
    }
    return new SubConnState(state, Status.OK);
  }

  /** Returns {@code TRANSIENT_FAILURE} with {@code error}, which must not be OK. */
  public static SubConnState forTransientFailure(Status error) {
    requireNonNull(error, "error");
    if (error.isOk()) {
      throw new IllegalArgumentException("error: OK (expected: the error of the last attempt)");
    }
    return new SubConnState(ConnectivityState.TRANSIENT_FAILURE, error);
  }

  /** Returns the connectivity state. */
  public ConnectivityState state() {
    return state;
  }

  /** Returns {@link Status#OK}, or the error in {@code TRANSIENT_FAILURE}. */
  public Status status() {
    return status;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SubConnState)) {
      return false;
    }
    SubConnState other = (SubConnState) o;
    return state == other.state && status.equals(other.status);
  }

  @Override
  public int hashCode() {
    return state.hashCode() * 31 + status.hashCode();
  }

  @Override
  public String toString() {
    return status.isOk() ? state.name() : state + "(" + status + ")";
  }
}
