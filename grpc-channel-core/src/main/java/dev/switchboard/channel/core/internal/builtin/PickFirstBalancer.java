package dev.switchboard.channel.core.internal.builtin;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code pick_first}, as grpc-java's {@code PickFirstLoadBalancer}: one subconn over all addresses
 * in order. It connects on the first update; an IDLE subconn (a lost connection) reconnects on the
 * next pick or {@link #exitIdle()}. After a failure it stays in {@code TRANSIENT_FAILURE}
 * (ignoring {@code CONNECTING}) until the subconn is READY again, so fail-fast calls keep failing
 * fast with the subconn's error. An empty address list is rejected with UNAVAILABLE.
 *
 * <p>Not thread-safe: called on the channel's synchronization context.
 */
final class PickFirstBalancer implements Balancer<PickFirstConfig> {

  private final ClientConn clientConn;
  private SubConn subConn;
  private ConnectivityState currentState = ConnectivityState.IDLE;

  PickFirstBalancer(ClientConn clientConn) {
    this.clientConn = clientConn;
  }

  @Override
  public Status updateClientConnState(ClientConnState<PickFirstConfig> state) {
    List<Address> addresses = state.addresses();
    if (addresses.isEmpty()) {
      Status error =
          Status.UNAVAILABLE.withDescription(
              "pick_first: the resolver of " + ErrorText.quote(clientConn.target().original())
                  + " returned no addresses");
      shutdownSubConn();
      publish(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
      return error;
    }
    if (state.balancerConfig().shuffleAddressList()) {
      List<Address> shuffled = new ArrayList<>(addresses);
      Collections.shuffle(shuffled);
      addresses = shuffled;
    }
    if (subConn == null) {
      SubConn created = clientConn.newSubConn(addresses, SubConnOptions.of(s -> onSubConnState(s)));
      subConn = created;
      publish(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
      created.connect();
    } else {
      subConn.updateAddresses(addresses);
    }
    return Status.OK;
  }

  private void onSubConnState(SubConnState state) {
    ConnectivityState newState = state.state();
    if (subConn == null || newState == ConnectivityState.SHUTDOWN) {
      return;
    }
    if (newState == ConnectivityState.TRANSIENT_FAILURE) {
      clientConn.resolveNow(); // the channel itself re-resolves when a READY connection is lost
    }
    if (currentState == ConnectivityState.TRANSIENT_FAILURE) {
      // Sticky: keep failing fast with the last error until READY.
      if (newState == ConnectivityState.CONNECTING) {
        return;
      }
      if (newState == ConnectivityState.IDLE) {
        subConn.connect();
        return;
      }
    }
    switch (newState) {
      case IDLE -> publish(ConnectivityState.IDLE, new RequestConnectionPicker(subConn));
      case CONNECTING -> publish(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
      case READY -> publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(subConn)));
      case TRANSIENT_FAILURE ->
          publish(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(state.status())));
      default -> throw new AssertionError(newState);
    }
  }

  @Override
  public void resolverError(Status error) {
    // Keep a working subconn; with none (or a failing one), fail calls with the resolver's error.
    if (subConn == null || currentState == ConnectivityState.TRANSIENT_FAILURE) {
      shutdownSubConn();
      publish(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
    }
  }

  @Override
  public void exitIdle() {
    if (subConn != null) {
      subConn.connect();
    }
  }

  @Override
  public void close() {
    shutdownSubConn();
  }

  private void shutdownSubConn() {
    if (subConn != null) {
      subConn.shutdown();
      subConn = null;
    }
  }

  private void publish(ConnectivityState state, Picker picker) {
    currentState = state;
    clientConn.updateState(state, picker);
  }

  /** Queues calls and asks the subconn to connect, once. Thread-safe. */
  private final class RequestConnectionPicker implements Picker {
    private final SubConn target;
    private final AtomicBoolean requested = new AtomicBoolean();

    RequestConnectionPicker(SubConn target) {
      this.target = target;
    }

    @Override
    public PickResult pick(PickInfo info) {
      if (requested.compareAndSet(false, true)) {
        clientConn.synchronizationContext().execute(target::connect);
      }
      return PickResult.withNoResult();
    }

    @Override
    public String toString() {
      return "pick_first idle picker";
    }
  }
}
