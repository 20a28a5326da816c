package dev.switchboard.channel.core.internal.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.balancer.GracefulSwitchBalancer;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.api.stub.ClientInterceptors;
import dev.switchboard.channel.core.internal.builtin.PickFirstBalancerProvider;
import dev.switchboard.channel.core.internal.builtin.PickFirstConfig;
import dev.switchboard.channel.core.internal.config.MethodConfig;
import dev.switchboard.channel.core.internal.config.ParsedServiceConfig;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The channel (grpc-java's {@code ManagedChannelImpl}): owns one synchronization context, the
 * resolver, the balancer, the subconns and the calls.
 *
 * <h2>Life cycle</h2>
 *
 * <p>It starts {@code IDLE}; the first call or {@code state(true)} leaves idle: the resolver is
 * created, and the balancer once the resolver has reported. The channel's state is the state the
 * balancer publishes. {@link #shutdown()} fails new and waiting calls with UNAVAILABLE "channel
 * shut down", lets started calls finish, closes the resolver and the balancer and shuts the subconns
 * down gracefully; {@link #shutdownNow()} also cancels every call and closes every connection. The
 * channel is terminated when every call has closed (its listener has heard {@code onClose}), every
 * transport has terminated and every out-of-band channel it created has terminated.
 *
 * <h2>Threading</h2>
 *
 * <p>Thread-safe. Resolver, balancer and subconn work runs on the synchronization context; its
 * uncaught-exception handler logs and turns the failure into {@code TRANSIENT_FAILURE} with a
 * picker that fails calls INTERNAL naming the cause. New calls pick on the caller's thread.
 */
public final class ManagedChannelImpl implements ManagedChannel {
  private static final System.Logger LOG = System.getLogger(ManagedChannelImpl.class.getName());
  /** The default policy of out-of-band channels. */
  private static final ChildPolicy<?> PICK_FIRST =
      ChildPolicy.of(new PickFirstBalancerProvider(), PickFirstConfig.DEFAULT);
  private static final Status SHUTDOWN_NOW_STATUS =
      Status.UNAVAILABLE.withDescription("channel shut down now");

  private final ChannelSettings settings;
  private final ManagedChannelImpl parent;
  private final SynchronizationContext syncContext;
  private final PickerSlot pickerSlot = new PickerSlot();
  private final GracefulSwitchBalancer balancer;
  private final ResolverDriver resolverDriver;
  private final Channel interceptedChannel;
  private final Set<ChannelCall<?, ?>> activeCalls = ConcurrentHashMap.newKeySet();
  private final Set<SubConnImpl> subConns = ConcurrentHashMap.newKeySet();
  private final Set<ManagedChannelImpl> children = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean shutdownStarted = new AtomicBoolean();
  private final AtomicBoolean shutdownNowStarted = new AtomicBoolean();
  private final CountDownLatch terminatedLatch = new CountDownLatch(1);

  private volatile ParsedServiceConfig serviceConfig;
  private volatile ConnectivityState state = ConnectivityState.IDLE;
  private volatile boolean idleExitRequested;
  private volatile boolean shutdown;
  private volatile boolean terminated;

  // Only on the synchronization context.
  private boolean idleExited;
  private boolean resolverClosed;
  private final List<StateWatcher> watchers = new ArrayList<>();

  private ManagedChannelImpl(ChannelSettings settings, ManagedChannelImpl parent) {
    this.settings = requireNonNull(settings, "settings");
    this.parent = parent;
    this.syncContext = new SynchronizationContext(this::uncaughtInContext);
    this.serviceConfig =
        settings.defaultServiceConfig() != null ? settings.defaultServiceConfig() : ParsedServiceConfig.EMPTY;
    this.balancer = new GracefulSwitchBalancer(new ChannelBalancerConn(this),
        BalancerArgs.newBuilder().options(settings.balancerOptions()).build());
    this.resolverDriver = new ResolverDriver(this, balancer);
    this.interceptedChannel = ClientInterceptors.intercept(new RealChannel(), settings.interceptors());
  }

  /** Creates a channel; it starts IDLE and does nothing until a call or {@code state(true)}. */
  public static ManagedChannelImpl create(ChannelSettings settings) {
    return new ManagedChannelImpl(settings, null);
  }

  // ---- Channel ----

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    return interceptedChannel.newCall(method, callOptions);
  }

  @Override
  public String authority() {
    return settings.authority();
  }

  // ---- ManagedChannel ----

  @Override
  public ConnectivityState state(boolean requestConnection) {
    ConnectivityState current = state;
    if (requestConnection && current == ConnectivityState.IDLE) {
      idleExitRequested = true;
      syncContext.execute(
          () -> {
            if (shutdown) {
              return;
            }
            if (!idleExited) {
              exitIdleMode();
            } else {
              balancer.exitIdle();
            }
          });
    }
    return current;
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    requireNonNull(source, "source");
    requireNonNull(callback, "callback");
    syncContext.execute(
        () -> {
          if (state != source) {
            settings.offloadExecutor().execute(callback);
          } else {
            watchers.add(new StateWatcher(source, callback));
          }
        });
  }

  @Override
  public void resetConnectBackoff() {
    syncContext.execute(
        () -> {
          for (SubConnImpl subConn : subConns) {
            subConn.resetConnectBackoff();
          }
          resolverDriver.resetBackoff();
        });
  }

  @Override
  public ManagedChannel shutdown() {
    if (!shutdownStarted.compareAndSet(false, true)) {
      return this;
    }
    shutdown = true;
    for (ChannelCall<?, ?> call : pickerSlot.shutdown()) {
      call.closeCall(PickerSlot.SHUT_DOWN_STATUS, new Metadata());
    }
    for (ManagedChannelImpl child : children) {
      child.shutdown();
    }
    syncContext.execute(
        () -> {
          resolverDriver.close();
          resolverClosed = true;
          for (SubConnImpl subConn : subConns) {
            subConn.shutdown(); // whatever a misbehaving balancer left behind
          }
          setState(ConnectivityState.SHUTDOWN);
          maybeTerminate();
        });
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    shutdown();
    if (!shutdownNowStarted.compareAndSet(false, true)) {
      return this;
    }
    for (ChannelCall<?, ?> call : activeCalls) {
      call.cancelWith(SHUTDOWN_NOW_STATUS);
    }
    for (ManagedChannelImpl child : children) {
      child.shutdownNow();
    }
    syncContext.execute(
        () -> {
          for (SubConnImpl subConn : subConns) {
            subConn.shutdownNow(SHUTDOWN_NOW_STATUS);
          }
        });
    return this;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return terminated;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminatedLatch.await(timeout, unit);
  }

  @Override
  public String toString() {
    return "ManagedChannel{target=" + settings.target() + ", state=" + state + "}";
  }

  // ---- for the channel's parts ----

  ChannelSettings settings() {
    return settings;
  }

  SynchronizationContext syncContext() {
    return syncContext;
  }

  ScheduledExecutorService scheduler() {
    return settings.scheduler();
  }

  PickerSlot pickerSlot() {
    return pickerSlot;
  }

  void setServiceConfig(ParsedServiceConfig config) {
    serviceConfig = config;
  }

  /** Leaves idle mode unless already done or asked for. Any thread; one volatile read when done. */
  void exitIdleIfNeeded() {
    if (!idleExitRequested) {
      idleExitRequested = true;
      syncContext.execute(this::exitIdleMode);
    }
  }

  private void exitIdleMode() {
    if (shutdown || idleExited) {
      return;
    }
    idleExited = true;
    setState(ConnectivityState.CONNECTING);
    resolverDriver.start();
  }

  /** Publishes the balancer's state and picker; on the synchronization context. */
  void updateBalancingState(ConnectivityState newState, Picker picker) {
    if (shutdown) {
      return;
    }
    pickerSlot.publish(picker);
    setState(newState);
  }

  private void setState(ConnectivityState newState) {
    if (state == newState) {
      return;
    }
    state = newState;
    for (Iterator<StateWatcher> it = watchers.iterator(); it.hasNext(); ) {
      StateWatcher watcher = it.next();
      if (watcher.source != newState) {
        it.remove();
        settings.offloadExecutor().execute(watcher.callback);
      }
    }
  }

  /** Asks the resolver to resolve again; on the synchronization context. */
  void refreshResolution() {
    resolverDriver.refresh();
  }

  /** Returns {@code subConn} as this channel's own, or null if another made it. */
  SubConnImpl ownSubConn(SubConn subConn) {
    SubConn created;
    try {
      created = subConn.underlying();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "underlying() of " + subConn.getClass().getName() + " threw", e);
      return null;
    }
    return created instanceof SubConnImpl impl && impl.belongsTo(this) ? impl : null;
  }

  void subConnCreated(SubConnImpl subConn) {
    subConns.add(subConn);
    if (shutdown) {
      subConn.shutdown();
    }
  }

  void subConnTerminated(SubConnImpl subConn) {
    subConns.remove(subConn);
    maybeTerminate();
  }

  void callStarted(ChannelCall<?, ?> call) {
    activeCalls.add(call);
  }

  void callEnded(ChannelCall<?, ?> call) {
    activeCalls.remove(call);
    if (shutdown) {
      syncContext.execute(this::maybeTerminate);
    }
  }

  ManagedChannel createOobChannel(List<Address> addresses, String authority) {
    requireNonNull(authority, "authority");
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: [] (expected: at least one address)");
    }
    Target target = Target.newBuilder(FixedAddressResolverProvider.SCHEME).endpoint(authority).build();
    return addChild(
        settings.forChild(
            target, authority, new FixedAddressResolverProvider(addresses), PICK_FIRST, false));
  }

  ManagedChannel createResolvingOobChannel(String target) {
    requireNonNull(target, "target");
    TargetResolution resolution =
        TargetResolution.of(
            target, settings.defaultScheme(), settings.resolverProviders(), settings::schemes);
    Target parsed = resolution.target();
    ResolverProvider provider = resolution.provider();
    return addChild(
        // pick_first, not the parent's default: a look-aside policy must not recurse into itself.
        settings.forChild(
            parsed, ChannelSettings.authorityOf(parsed), provider, PICK_FIRST, true));
  }

  private ManagedChannel addChild(ChannelSettings childSettings) {
    ManagedChannelImpl child = new ManagedChannelImpl(childSettings, this);
    children.add(child);
    if (shutdown) {
      child.shutdown();
    }
    return child;
  }

  private void childTerminated(ManagedChannelImpl child) {
    children.remove(child);
    syncContext.execute(this::maybeTerminate);
  }

  private void maybeTerminate() {
    if (!shutdown || terminated || !resolverClosed) {
      return;
    }
    if (!activeCalls.isEmpty() || !subConns.isEmpty() || !children.isEmpty()) {
      return;
    }
    terminated = true;
    if (settings.ownsTransportFactory()) {
      try {
        settings.transportFactory().close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing the transport factory of " + this + " failed", e);
      }
    }
    terminatedLatch.countDown();
    if (parent != null) {
      parent.childTerminated(this);
    }
  }

  private void uncaughtInContext(Thread thread, Throwable e) {
    LOG.log(Level.ERROR, "uncaught exception in the synchronization context of " + this, e);
    try {
      updateBalancingState(
          ConnectivityState.TRANSIENT_FAILURE,
          Picker.of(
              PickResult.withError(
                  Status.INTERNAL.withDescription("channel failed: " + e).withCause(e))));
    } catch (RuntimeException | Error second) {
      LOG.log(Level.ERROR, "failed to publish the failure of " + this, second);
    }
  }

  private <ReqT, RespT> ChannelCall<ReqT, RespT> createCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    MethodConfig config = serviceConfig.methodConfig(method);
    CallOptions options = callOptions;
    // gRPC's rule for timeouts: the earlier of the application's deadline and the config's.
    if (config.timeout().isPresent()) {
      Deadline fromConfig = Deadline.after(config.timeout().get(), settings.ticker());
      if (options.deadline().isEmpty()
          || fromConfig.timeRemaining(TimeUnit.NANOSECONDS)
              < options.deadline().get().timeRemaining(TimeUnit.NANOSECONDS)) {
        options = options.withDeadline(fromConfig);
      }
    }
    // For the rest, what the application set wins over the config.
    if (options.waitForReady().isEmpty() && config.waitForReady().isPresent()) {
      options = config.waitForReady().get() ? options.withWaitForReady() : options.withoutWaitForReady();
    }
    if (options.maxOutboundMessageSize().isEmpty() && config.maxRequestMessageBytes().isPresent()) {
      options = options.withMaxOutboundMessageSize(config.maxRequestMessageBytes().getAsInt());
    }
    // Given to the stream directly: no copy of the options on every call just for the default.
    int maxInbound =
        options.maxInboundMessageSize()
            .orElse(config.maxResponseMessageBytes().orElse(settings.maxInboundMessageSize()));
    return new ChannelCall<>(this, method, options, maxInbound);
  }

  /** The end of the interceptor chain: creates the call. */
  private final class RealChannel implements Channel {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
      requireNonNull(method, "method");
      requireNonNull(callOptions, "callOptions");
      return createCall(method, callOptions);
    }

    @Override
    public String authority() {
      return settings.authority();
    }
  }

  private record StateWatcher(ConnectivityState source, Runnable callback) {}
}
