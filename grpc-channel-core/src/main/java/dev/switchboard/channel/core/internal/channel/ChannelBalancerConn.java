package dev.switchboard.channel.core.internal.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.balancer.SubConnStateListener;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Target;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The channel as its top balancer sees it: the parent {@link ClientConn} of the channel's {@link
 * dev.switchboard.channel.api.balancer.GracefulSwitchBalancer}, which gives each policy it runs a
 * {@code ClientConn} of its own on top of this one (closing, containment, subconn clean-up).
 *
 * <p>What the balancer asks of the channel is queued on the synchronization context, never run
 * inside the balancer's own call: the published picker, re-resolution, and (through {@link
 * SubConnImpl}) every subconn state change.
 *
 * <p>Thread-safe.
 */
final class ChannelBalancerConn implements ClientConn {
  private final ManagedChannelImpl channel;

  ChannelBalancerConn(ManagedChannelImpl channel) {
    this.channel = channel;
  }

  @Override
  public SubConn newSubConn(List<Address> addresses, SubConnOptions options) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: [] (expected: at least one address)");
    }
    SubConnStateListener listener = options.stateListener();
    SubConnImpl[] self = new SubConnImpl[1];
    SubConnImpl subConn = new SubConnImpl(channel, addresses, options.attributes(),
        state -> deliver(self[0], listener, state));
    self[0] = subConn;
    channel.subConnCreated(subConn);
    return subConn;
  }

  private static void deliver(SubConnImpl subConn, SubConnStateListener listener, SubConnState state) {
    if (subConn.state() != ConnectivityState.SHUTDOWN) {
      listener.onSubConnState(state);
    }
  }

  @Override
  public void updateState(ConnectivityState state, Picker picker) {
    requireNonNull(state, "state");
    requireNonNull(picker, "picker");
    channel.syncContext().execute(() -> channel.updateBalancingState(state, picker));
  }

  @Override
  public void resolveNow() {
    channel.syncContext().execute(channel::refreshResolution);
  }

  @Override
  public Target target() {
    return channel.settings().target();
  }

  @Override
  public String authority() {
    return channel.authority();
  }

  @Override
  public SynchronizationContext synchronizationContext() {
    return channel.syncContext();
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return channel.scheduler();
  }

  @Override
  public ManagedChannel createOobChannel(List<Address> addresses, String authority) {
    return channel.createOobChannel(addresses, authority);
  }

  @Override
  public ManagedChannel createResolvingOobChannel(String target) {
    return channel.createResolvingOobChannel(target);
  }

  @Override
  public BalancerRegistry balancerRegistry() {
    return channel.settings().balancers();
  }

  @Override
  public String toString() {
    return "ChannelBalancerConn{" + channel.settings().target() + "}";
  }
}
