package dev.switchboard.channel.api.balancer;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Target;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link ClientConn} that forwards every method to {@link #delegate()}; parent policies extend it
 * to intercept what their children do.
 *
 * <p>As thread-safe as the delegate.
 *
 * @since 0.1
 */
public abstract class ForwardingClientConn implements ClientConn {

  /** Returns the conn to forward to. */
  protected abstract ClientConn delegate();

  @Override
  public SubConn newSubConn(List<Address> addresses, SubConnOptions options) {
    return delegate().newSubConn(addresses, options);
  }

  @Override
  public void updateState(ConnectivityState state, Picker picker) {
    delegate().updateState(state, picker);
  }

  @Override
  public void resolveNow() {
    delegate().resolveNow();
  }

  @Override
  public Target target() {
    return delegate().target();
  }

  @Override
  public String authority() {
    return delegate().authority();
  }

  @Override
  public SynchronizationContext synchronizationContext() {
    return delegate().synchronizationContext();
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return delegate().scheduler();
  }

  @Override
  public ManagedChannel createOobChannel(List<Address> addresses, String authority) {
    return delegate().createOobChannel(addresses, authority);
  }

  @Override
  public ManagedChannel createResolvingOobChannel(String target) {
    return delegate().createResolvingOobChannel(target);
  }

  @Override
  public BalancerRegistry balancerRegistry() {
    return delegate().balancerRegistry();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + delegate() + "}";
  }
}
