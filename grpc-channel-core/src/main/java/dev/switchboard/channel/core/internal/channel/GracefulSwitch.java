package dev.switchboard.channel.core.internal.channel;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;

/**
 * The channel's top balancer: runs the policy the service config selects and switches policies
 * gracefully, with grpc-java's {@code GracefulSwitchLoadBalancer} rule. When the policy changes,
 * the new balancer starts as <em>pending</em> while the current one keeps serving; the new one takes
 * over when it reports {@code READY}, or as soon as the current one is (or leaves) not
 * {@code READY}. Updates go to the pending balancer if there is one.
 *
 * <p>Not thread-safe: used only on the channel's synchronization context.
 */
final class GracefulSwitch {
  private static final Picker QUEUE_PICKER = Picker.of(PickResult.withNoResult());

  private final ManagedChannelImpl channel;
  private ChildBalancer current;
  private boolean currentIsReady;
  private ChildBalancer pending;
  private ConnectivityState pendingState;
  private Picker pendingPicker;

  GracefulSwitch(ManagedChannelImpl channel) {
    this.channel = channel;
  }

  /** Returns whether a balancer runs (one has been selected at least once). */
  boolean hasBalancer() {
    return current != null || pending != null;
  }

  /** Makes {@code provider}'s policy the one in use, gracefully. */
  void switchTo(BalancerProvider provider) {
    if (pending != null && pending.provider() == provider) {
      return;
    }
    if (pending != null) {
      pending.close();
      pending = null;
    }
    if (current != null && current.provider() == provider) {
      return;
    }
    ChildBalancer child = new ChildBalancer(channel, this, provider);
    pending = child;
    pendingState = ConnectivityState.CONNECTING;
    pendingPicker = QUEUE_PICKER;
    child.start();
    if (pending == child && !currentIsReady) {
      swap();
    }
  }

  Status updateClientConnState(ClientConnState state) {
    return delegate().updateClientConnState(state);
  }

  void resolverError(Status error) {
    delegate().resolverError(error);
  }

  void exitIdle() {
    if (hasBalancer()) {
      delegate().exitIdle();
    }
  }

  void close() {
    if (pending != null) {
      pending.close();
      pending = null;
    }
    if (current != null) {
      current.close();
      current = null;
    }
  }

  /** A child published a state and picker. */
  void childUpdated(ChildBalancer child, ConnectivityState state, Picker picker) {
    if (child == pending) {
      pendingState = state;
      pendingPicker = picker;
      if (state == ConnectivityState.READY) {
        swap();
      }
    } else if (child == current) {
      currentIsReady = state == ConnectivityState.READY;
      if (!currentIsReady && pending != null) {
        swap();
      } else {
        channel.updateBalancingState(state, picker);
      }
    }
  }

  private ChildBalancer delegate() {
    return pending != null ? pending : current;
  }

  private void swap() {
    ChildBalancer old = current;
    current = pending;
    currentIsReady = pendingState == ConnectivityState.READY;
    pending = null;
    channel.updateBalancingState(pendingState, pendingPicker);
    if (old != null) {
      old.close();
    }
  }
}
