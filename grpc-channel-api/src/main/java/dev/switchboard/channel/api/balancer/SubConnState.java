package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a {@link SubConn}: a connectivity state; for
 * {@link ConnectivityState#TRANSIENT_FAILURE}, the error of the last attempt; for {@link
 * ConnectivityState#READY}, the address the connection went to, when the channel says (it does).
 *
 * <p>The address matters to a balancer whose subconn has several addresses with different
 * balancer-only attributes: grpclb with its {@code pick_first} child sends the token of the server
 * the one subconn is connected to (grpc-java's {@code Subchannel.getConnectedAddressAttributes()}).
 *
 * <p>Immutable. A final class with factories, so that it can gain fields.
 *
 * @since 0.1
 */
public final class SubConnState {
  private final ConnectivityState state;
  private final Status status;
  private final Address address;

  private SubConnState(ConnectivityState state, Status status, Address address) {
    this.state = state;
    this.status = status;
    this.address = address;
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
    return new SubConnState(state, Status.OK, null);
  }

  /**
   * Returns {@code READY}, connected to {@code address} (one of the subconn's addresses, as the
   * balancer gave it, with its attributes).
   *
   * @since 0.1
   */
  public static SubConnState ready(Address address) {
    return new SubConnState(ConnectivityState.READY, Status.OK, requireNonNull(address, "address"));
  }

  /** Returns {@code TRANSIENT_FAILURE} with {@code error}, which must not be OK. */
  public static SubConnState forTransientFailure(Status error) {
    requireNonNull(error, "error");
    if (error.isOk()) {
      throw new IllegalArgumentException("error: OK (expected: the error of the last attempt)");
    }
    return new SubConnState(ConnectivityState.TRANSIENT_FAILURE, error, null);
  }

  /** Returns the connectivity state. */
  public ConnectivityState state() {
    return state;
  }

  /**
   * Returns the address the connection went to, for a {@code READY} state made with {@link
   * #ready(Address)}; empty otherwise.
   */
  public Optional<Address> address() {
    return Optional.ofNullable(address);
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
    return state == other.state && status.equals(other.status) && Objects.equals(address, other.address);
  }

  @Override
  public int hashCode() {
    return (state.hashCode() * 31 + status.hashCode()) * 31 + Objects.hashCode(address);
  }

  @Override
  public String toString() {
    if (!status.isOk()) {
      return state + "(" + status + ")";
    }
    return address == null ? state.name() : state + "(" + address + ")";
  }
}
