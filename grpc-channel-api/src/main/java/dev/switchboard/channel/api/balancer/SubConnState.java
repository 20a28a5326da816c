package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;

/**
 * The state of a {@link SubConn}: a connectivity state and, for
 * {@link ConnectivityState#TRANSIENT_FAILURE}, the error of the last attempt.
 *
 * <p>Immutable.
 *
 * @param state the connectivity state
 * @param status {@link Status#OK} except in {@code TRANSIENT_FAILURE}, where it is the error
 * @since 0.1
 */
public record SubConnState(ConnectivityState state, Status status) {

  /** Checks that {@code status} is an error exactly when the state is a transient failure. */
  public SubConnState {
    requireNonNull(state, "state");
    requireNonNull(status, "status");
    if ((state == ConnectivityState.TRANSIENT_FAILURE) == status.isOk()) {
      throw new IllegalArgumentException(
          "status: " + status + " for " + state + " (expected: an error only in TRANSIENT_FAILURE)");
    }
  }

  /** Returns a state other than {@code TRANSIENT_FAILURE}. */
  public static SubConnState of(ConnectivityState state) {
    return new SubConnState(state, Status.OK);
  }

  /** Returns {@code TRANSIENT_FAILURE} with {@code error}. */
  public static SubConnState forTransientFailure(Status error) {
    return new SubConnState(ConnectivityState.TRANSIENT_FAILURE, error);
  }
}
