package dev.switchboard.channel.core.internal.channel;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.balancer.SubConnStateListener;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Target;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One balancer instance and the {@link ClientConn} it sees. Each balancer gets its own, so that the
 * {@link GracefulSwitch} knows whose picker an update is, and so that nothing reaches a balancer
 * after it is closed.
 *
 * <h2>Containment</h2>
 *
 * <p>Every call into the balancer (and into its subconns' state listeners) is guarded: a balancer
 * that throws is logged and its state becomes {@code TRANSIENT_FAILURE} with a picker that fails
 * calls with {@code INTERNAL} naming the policy and the cause. Subconns the balancer leaves behind
 * are shut down when it is closed.
 *
 * <h2>Threading</h2>
 *
 * <p>Thread-safe as a {@code ClientConn}: methods that change state run on the synchronization
 * context (they hand themselves over when called from elsewhere). The rest of the class is used
 * only on the synchronization context.
 */
final class ChildBalancer implements ClientConn {
  private static final System.Logger LOG = System.getLogger(ChildBalancer.class.getName());

  private final ManagedChannelImpl channel;
  private final GracefulSwitch parent;
  private final BalancerProvider provider;
  private final Set<SubConnImpl> subConns = new LinkedHashSet<>();
  private Balancer balancer;
  private Status failedStatus;
  private boolean closed;

  ChildBalancer(ManagedChannelImpl channel, GracefulSwitch parent, BalancerProvider provider) {
    this.channel = channel;
    this.parent = parent;
    this.provider = provider;
  }

  BalancerProvider provider() {
    return provider;
  }

  /** Creates the balancer; a provider that throws leaves this child in TRANSIENT_FAILURE. */
  void start() {
    try {
      balancer = provider.newBalancer(this,
          BalancerArgs.newBuilder().options(channel.settings().balancerOptions()).build());
      if (balancer == null) {
        throw new NullPointerException("newBalancer returned null");
      }
    } catch (RuntimeException | Error e) {
      balancer = null;
      contain("newBalancer", e);
    }
  }

  Status updateClientConnState(ClientConnState state) {
    if (balancer == null) {
      return failedStatus();
    }
    try {
      Status status = balancer.updateClientConnState(state);
      return status == null ? Status.OK : status;
    } catch (RuntimeException | Error e) {
      return contain("updateClientConnState", e);
    }
  }

  void resolverError(Status error) {
    if (balancer == null) {
      return;
    }
    try {
      balancer.resolverError(error);
    } catch (RuntimeException | Error e) {
      contain("resolverError", e);
    }
  }

  void exitIdle() {
    if (balancer == null) {
      return;
    }
    try {
      balancer.exitIdle();
    } catch (RuntimeException | Error e) {
      contain("exitIdle", e);
    }
  }

  /** Closes the balancer and shuts down whatever subconns it left. Idempotent. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (balancer != null) {
      try {
        balancer.close();
      } catch (RuntimeException | Error e) {
        LOG.log(Level.ERROR, "balancer '" + provider.policyName() + "' threw in close", e);
      }
    }
    for (SubConnImpl subConn : new ArrayList<>(subConns)) {
      subConn.shutdown();
    }
    subConns.clear();
  }

  private Status contain(String what, Throwable e) {
    LOG.log(Level.ERROR, "balancer '" + provider.policyName() + "' threw in " + what, e);
    Status status =
        Status.INTERNAL
            .withDescription("balancer '" + provider.policyName() + "' failed in " + what + ": " + e)
            .withCause(e);
    failedStatus = status;
    if (!closed) {
      parent.childUpdated(this, ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(status)));
    }
    return status;
  }

  private Status failedStatus() {
    return failedStatus != null
        ? failedStatus
        : Status.INTERNAL.withDescription("balancer '" + provider.policyName() + "' is not running");
  }

  // ---- ClientConn ----

  @Override
  public SubConn newSubConn(List<Address> addresses, SubConnOptions options) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: [] (expected: at least one address)");
    }
    SubConnStateListener listener = options.stateListener();
    SubConnImpl[] self = new SubConnImpl[1];
    SubConnImpl subConn =
        new SubConnImpl(channel, addresses, options.attributes(), state -> deliver(self[0], listener, state));
    self[0] = subConn;
    channel.subConnCreated(subConn);
    inContext(
        () -> {
          if (closed) {
            subConn.shutdown(); // created by a balancer racing its own close
          } else {
            subConns.add(subConn);
          }
        });
    return subConn;
  }

  private void deliver(SubConnImpl subConn, SubConnStateListener listener, SubConnState state) {
    if (closed || subConn.state() == ConnectivityState.SHUTDOWN) {
      return;
    }
    try {
      listener.onSubConnState(state);
    } catch (RuntimeException | Error e) {
      contain("a subconn state listener", e);
    }
  }

  @Override
  public void updateState(ConnectivityState state, Picker picker) {
    java.util.Objects.requireNonNull(state, "state");
    java.util.Objects.requireNonNull(picker, "picker");
    inContext(
        () -> {
          if (!closed) {
            parent.childUpdated(this, state, picker);
          }
        });
  }

  @Override
  public void resolveNow() {
    inContext(
        () -> {
          if (!closed) {
            channel.refreshResolution();
          }
        });
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

  /**
   * Runs {@code task} on the synchronization context, always queued: called from inside the
   * balancer, it runs after the balancer's method returns, so that nothing calls back into the
   * balancer while it is inside its own call.
   */
  private void inContext(Runnable task) {
    channel.syncContext().execute(task);
  }

  @Override
  public String toString() {
    return "ChildBalancer{" + provider.policyName() + "}";
  }
}
