package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a child policy and switches between policies gracefully: the channel's own top balancer,
 * and what a parent policy (grpclb with its round_robin or pick_first child, weighted_target,
 * priority) uses to run its children with nothing but this API.
 *
 * <p>Its config is a {@link ChildPolicy} ({@link BalancerRegistry#parsePolicyList} selects one):
 * each {@link #updateClientConnState} hands the state, with the child's own config, to the child
 * that runs the policy. When the policy changes, the new child starts as <em>pending</em> while the
 * current one keeps serving (grpc-java's {@code GracefulSwitchLoadBalancer} rule); the new one takes
 * over when it reports {@code READY}, or as soon as the current one is (or leaves) not {@code
 * READY}. Updates go to the pending child if there is one. The current child's state and picker go
 * to the parent {@link ClientConn} given at creation: wrap it in a {@link ForwardingClientConn} to
 * change the picker (to add tokens, to drop calls).
 *
 * <p>Each child sees a {@link ClientConn} of its own, so that nothing reaches a child after it is
 * closed and the subconns it leaves behind are shut down with it; and every call into a child is
 * contained: a child that throws is logged and its state becomes {@code TRANSIENT_FAILURE} with a
 * picker that fails calls with {@code INTERNAL}, naming the policy and the cause.
 *
 * <p>Not thread-safe: used on the channel's synchronization context, as every {@link Balancer}.
 *
 * @since 0.1
 */
public final class GracefulSwitchBalancer implements Balancer<ChildPolicy<?>> {
  private static final System.Logger LOG = System.getLogger(GracefulSwitchBalancer.class.getName());
  private static final Picker QUEUE_PICKER = Picker.of(PickResult.withNoResult());

  private final ClientConn parent;
  private final BalancerArgs args;
  private Child<?> current;
  private boolean currentIsReady;
  private Child<?> pending;
  private ConnectivityState pendingState;
  private Picker pendingPicker;
  private boolean closed;

  /**
   * Creates a switch whose children publish to {@code parent} and are created with {@code args}.
   */
  public GracefulSwitchBalancer(ClientConn parent, BalancerArgs args) {
    this.parent = requireNonNull(parent, "parent");
    this.args = requireNonNull(args, "args");
  }

  /** Returns the policy of the child that handles updates (the pending one, if any), if any. */
  public java.util.Optional<String> policyName() {
    Child<?> child = delegate();
    return java.util.Optional.ofNullable(child == null ? null : child.provider.policyName());
  }

  @Override
  public Status updateClientConnState(ClientConnState<ChildPolicy<?>> state) {
    requireNonNull(state, "state");
    if (closed) {
      return Status.UNAVAILABLE.withDescription("graceful switch closed");
    }
    ChildPolicy<?> policy = state.balancerConfig();
    switchTo(policy.provider());
    return delegate().update(state, policy);
  }

  @Override
  public void resolverError(Status error) {
    Child<?> child = delegate();
    if (child != null) {
      child.resolverError(error);
    } else if (!closed) {
      parent.updateState(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
    }
  }

  @Override
  public void exitIdle() {
    Child<?> child = delegate();
    if (child != null) {
      child.exitIdle();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (pending != null) {
      pending.close();
      pending = null;
    }
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private <C> void switchTo(BalancerProvider<C> provider) {
    if (pending != null && pending.provider == provider) {
      return;
    }
    if (pending != null) {
      pending.close();
      pending = null;
    }
    if (current != null && current.provider == provider) {
      return;
    }
    Child<C> child = new Child<>(provider);
    pending = child;
    pendingState = ConnectivityState.CONNECTING;
    pendingPicker = QUEUE_PICKER;
    child.start();
    if (pending == child && !currentIsReady) {
      swap();
    }
  }

  private Child<?> delegate() {
    return pending != null ? pending : current;
  }

  /** A child published a state and picker (on the synchronization context). */
  private void childUpdated(Child<?> child, ConnectivityState state, Picker picker) {
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
        parent.updateState(state, picker);
      }
    }
  }

  private void swap() {
    Child<?> old = current;
    current = pending;
    currentIsReady = pendingState == ConnectivityState.READY;
    pending = null;
    parent.updateState(pendingState, pendingPicker);
    if (old != null) {
      old.close();
    }
  }

  @Override
  public String toString() {
    return "GracefulSwitchBalancer{current=" + (current == null ? "none" : current.provider.policyName())
        + (pending == null ? "" : ", pending=" + pending.provider.policyName()) + "}";
  }

  /** One child balancer and the {@link ClientConn} it sees. */
  private final class Child<C> extends ForwardingClientConn {
    final BalancerProvider<C> provider;
    private final Set<SubConn> subConns = new LinkedHashSet<>();
    private Balancer<C> balancer;
    private Status failed;
    private boolean childClosed;

    Child(BalancerProvider<C> provider) {
      this.provider = provider;
    }

    @Override
    protected ClientConn delegate() {
      return parent;
    }

    void start() {
      try {
        balancer = requireNonNull(provider.newBalancer(this, args), "newBalancer returned null");
      } catch (RuntimeException | Error e) {
        balancer = null;
        contain("newBalancer", e);
      }
    }

    @SuppressWarnings("unchecked") // the policy's provider is this child's: its config is a C
    Status update(ClientConnState<ChildPolicy<?>> state, ChildPolicy<?> policy) {
      if (balancer == null) {
        return failed != null ? failed
            : Status.INTERNAL.withDescription("balancer " + ErrorText.quote(provider.policyName()) + " is not running");
      }
      ClientConnState<C> own = state.withBalancerConfig((C) policy.config());
      try {
        Status status = balancer.updateClientConnState(own);
        return status == null ? Status.OK : status;
      } catch (RuntimeException | Error e) {
        return contain("updateClientConnState", e);
      }
    }

    void resolverError(Status error) {
      call("resolverError", b -> b.resolverError(error));
    }

    void exitIdle() {
      call("exitIdle", Balancer::exitIdle);
    }

    void close() {
      if (childClosed) {
        return;
      }
      childClosed = true;
      if (balancer != null) {
        try {
          balancer.close();
        } catch (RuntimeException | Error e) {
          LOG.log(Level.ERROR, "balancer " + ErrorText.quote(provider.policyName()) + " threw in close", e);
        }
      }
      for (SubConn subConn : new ArrayList<>(subConns)) {
        subConn.shutdown();
      }
      subConns.clear();
    }

    private void call(String what, Consumer<Balancer<C>> method) {
      if (balancer == null || childClosed) {
        return;
      }
      try {
        method.accept(balancer);
      } catch (RuntimeException | Error e) {
        contain(what, e);
      }
    }

    private Status contain(String what, Throwable e) {
      LOG.log(Level.ERROR, "balancer " + ErrorText.quote(provider.policyName()) + " threw in " + what, e);
      Status status = Status.INTERNAL
          .withDescription("balancer " + ErrorText.quote(provider.policyName()) + " failed in " + what + ": "
              + ErrorText.cut(e.toString()))
          .withCause(e);
      failed = status;
      if (!childClosed) {
        childUpdated(this, ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(status)));
      }
      return status;
    }

    // ---- the ClientConn the child sees ----

    @Override
    public SubConn newSubConn(List<dev.switchboard.channel.api.resolver.Address> addresses,
        SubConnOptions options) {
      SubConnStateListener listener = options.stateListener();
      SubConn[] self = new SubConn[1];
      SubConnOptions guarded = SubConnOptions.newBuilder()
          .stateListener(state -> {
            if (childClosed || !subConns.contains(self[0])) {
              return; // nothing reaches a closed child, or about a subconn it shut down
            }
            try {
              listener.onSubConnState(state);
            } catch (RuntimeException | Error e) {
              contain("a subconn state listener", e);
            }
          })
          .attributes(options.attributes())
          .build();
      SubConn subConn = new TrackedSubConn(parent.newSubConn(addresses, guarded));
      self[0] = subConn;
      if (childClosed) {
        subConn.shutdown(); // created by a child racing its own close
      } else {
        subConns.add(subConn);
      }
      return subConn;
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
      requireNonNull(state, "state");
      requireNonNull(picker, "picker");
      // Queued: the child's picker is published after the child's method returns.
      parent.synchronizationContext().execute(() -> {
        if (!childClosed) {
          childUpdated(this, state, picker);
        }
      });
    }

    @Override
    public void resolveNow() {
      if (!childClosed) {
        parent.resolveNow();
      }
    }

    /** A subconn that leaves this child's set when the child shuts it down. */
    private final class TrackedSubConn extends ForwardingSubConn {
      private final SubConn delegate;

      TrackedSubConn(SubConn delegate) {
        this.delegate = delegate;
      }

      @Override
      protected SubConn delegate() {
        return delegate;
      }

      @Override
      public void shutdown() {
        subConns.remove(this);
        delegate.shutdown();
      }
    }
  }
}
