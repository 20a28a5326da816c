package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SubConn} created by a {@link FakeBalancerClientConn}: it connects nowhere, records what
 * the balancer asks of it, and lets the test play its state changes with {@link #deliverState}.
 *
 * <p>Thread-safe. Calls from the balancer outside the synchronization context are recorded as
 * violations of the owning {@link FakeBalancerClientConn}.
 *
 * @since 0.1
 */
public final class FakeSubConn implements SubConn {

  private final FakeBalancerClientConn owner;
  private final int index;
  private final SubConnOptions options;
  private volatile List<Address> addresses;
  private volatile SubConnState lastDelivered;
  private int connectCount;
  private int updateAddressesCount;
  private boolean shutdown;

  FakeSubConn(FakeBalancerClientConn owner, int index, List<Address> addresses, SubConnOptions options) {
    this.owner = owner;
    this.index = index;
    this.addresses = List.copyOf(addresses);
    this.options = options;
  }

  @Override
  public void connect() {
    owner.checkInContext("SubConn.connect() of " + this);
    synchronized (this) {
      connectCount++;
    }
  }

  @Override
  public void shutdown() {
    owner.checkInContext("SubConn.shutdown() of " + this);
    synchronized (this) {
      shutdown = true;
    }
  }

  @Override
  public void updateAddresses(List<Address> addresses) {
    owner.checkInContext("SubConn.updateAddresses() of " + this);
    requireNonNull(addresses, "addresses");
    if (addresses.isEmpty()) {
      owner.recordViolation("SubConn.updateAddresses() of " + this + " with an empty list");
    }
    this.addresses = List.copyOf(addresses);
    synchronized (this) {
      updateAddressesCount++;
    }
  }

  @Override
  public List<Address> addresses() {
    return addresses;
  }

  @Override
  public Attributes attributes() {
    return options.attributes();
  }

  /** Returns the position of this subconn among those its conn created, from 0. */
  public int index() {
    return index;
  }

  /** Returns the options the balancer created it with. */
  public SubConnOptions options() {
    return options;
  }

  /** Returns how many times the balancer called {@link #connect()}. */
  public synchronized int connectCount() {
    return connectCount;
  }

  /** Returns how many times the balancer called {@link #updateAddresses}. */
  public synchronized int updateAddressesCount() {
    return updateAddressesCount;
  }

  /** Returns whether the balancer shut it down. */
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  /** Returns the last state the test delivered, if any. */
  public Optional<SubConnState> lastDeliveredState() {
    return Optional.ofNullable(lastDelivered);
  }

  /**
   * Delivers {@code state} to the balancer's listener, on the synchronization context, as the
   * channel would. Called from the context (from a task) it runs after the current task; called
   * from outside it runs before this method returns, unless another thread is draining the
   * context. Like the channel, it delivers nothing once the balancer has shut the subconn down.
   */
  public void deliverState(SubConnState state) {
    requireNonNull(state, "state");
    owner.synchronizationContext().execute(() -> {
      if (isShutdown()) {
        return;
      }
      lastDelivered = state;
      options.stateListener().onSubConnState(state);
    });
  }

  @Override
  public String toString() {
    return "FakeSubConn#" + index + addresses + (isShutdown() ? "(shut down)" : "");
  }
}
