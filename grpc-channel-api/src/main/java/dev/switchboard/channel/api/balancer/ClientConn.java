package dev.switchboard.channel.api.balancer;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Target;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The channel, as a balancer sees it (grpc-go's {@code balancer.ClientConn}).
 *
 * <h2>Threading</h2>
 *
 * <p>Thread-safe, but balancers call it from the {@linkplain #synchronizationContext()
 * synchronization context}, where every balancer method and subconn state notification runs.
 * {@link #updateState} publishes the picker at once: calls already on other threads see it on their
 * next pick.
 *
 * <p>Decorators extend {@link ForwardingClientConn}. The interface grows only by default methods.
 *
 * @since 0.1
 */
public interface ClientConn {

  /**
   * Creates a subconn for {@code addresses}, tried in order. It starts {@code IDLE}; call
   * {@link SubConn#connect()}. Its state changes reach {@link SubConnOptions#stateListener()}.
   *
   * @throws IllegalArgumentException if {@code addresses} is empty
   */
  SubConn newSubConn(List<Address> addresses, SubConnOptions options);

  /**
   * Publishes the balancer's aggregate state and a new picker. Calls waiting for a picker are
   * re-picked with it.
   */
  void updateState(ConnectivityState state, Picker picker);

  /** Asks the resolver to resolve again (a hint; the channel rate-limits it). */
  void resolveNow();

  /** Returns the channel's target. */
  Target target();

  /** Returns the default {@code :authority} of the channel. */
  String authority();

  /** Returns the synchronization context on which the balancer runs; use it for its own tasks. */
  SynchronizationContext synchronizationContext();

  /**
   * Returns the channel's timer, for use with
   * {@link SynchronizationContext#schedule(Runnable, long, java.util.concurrent.TimeUnit,
   * ScheduledExecutorService)}. Do not shut it down.
   */
  ScheduledExecutorService scheduler();

  /**
   * Opens a channel to fixed addresses, sharing this channel's transport settings (grpclb's channel
   * to its balancer). The caller shuts it down.
   *
   * @param addresses the addresses, tried in order
   * @param authority the {@code :authority} to send (and TLS server name)
   */
  ManagedChannel createOobChannel(List<Address> addresses, String authority);

  /**
   * Opens a channel to another target, with its own resolver and the default policy, sharing this
   * channel's transport settings. The caller shuts it down.
   *
   * @throws IllegalArgumentException if the target is malformed or its scheme has no resolver
   */
  ManagedChannel createResolvingOobChannel(String target);

  /**
   * Returns the channel's load-balancing policies, so that a parent policy can run another policy
   * as a child (with a {@link GracefulSwitchBalancer}). Default: throws {@link
   * UnsupportedOperationException}; the channel's own implementation has it.
   */
  default BalancerRegistry balancerRegistry() {
    throw new UnsupportedOperationException(getClass().getName() + " offers no balancer registry");
  }
}
