package dev.switchboard.channel.api.balancer;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.resolver.Address;
import java.util.List;

/**
 * A logical connection to one server, reachable at one or more addresses tried in order; created
 * by a balancer through {@link ClientConn#newSubConn}.
 *
 * <p>It starts {@code IDLE} and connects on {@link #connect()}: {@code IDLE → CONNECTING → READY},
 * or {@code TRANSIENT_FAILURE} once every address has failed. In {@code TRANSIENT_FAILURE} it waits
 * out gRPC's connection backoff (1 s, ×1.6, jitter 0.2, 120 s max; each attempt gets at least 20 s
 * to connect) and tries again by itself ({@code CONNECTING}). A {@code READY} connection that is
 * lost (GOAWAY, closed) goes to {@code IDLE}: the channel re-resolves and the balancer decides
 * whether to {@link #connect()} again.
 *
 * <p>Thread-safe, but balancers call it from the synchronization context; state changes arrive on
 * the {@link SubConnStateListener} given at creation.
 *
 * @since 0.1
 */
public interface SubConn {

  /** Starts connecting if {@code IDLE}; does nothing otherwise. */
  void connect();

  /** Closes the subconn; calls it carries finish, no new call is picked onto it. Idempotent. */
  void shutdown();

  /**
   * Replaces the addresses. A connection to an address still in the list is kept; otherwise the
   * subconn reconnects to the new list.
   */
  void updateAddresses(List<Address> addresses);

  /** Returns the current addresses. */
  List<Address> addresses();

  /** Returns the attributes given at creation. */
  Attributes attributes();

  /**
   * Returns the subconn the channel created, under any wrappers: what the channel uses when a
   * picker returns this one. A wrapper forwards it ({@link ForwardingSubConn} does), so that a
   * parent policy may hand its children wrapped subconns and their pickers still work. Default:
   * this subconn.
   */
  default SubConn underlying() {
    return this;
  }
}
