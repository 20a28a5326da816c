package dev.switchboard.balancer.grpclb.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.balancer.grpclb.internal.GrpclbPicker.Drop;
import dev.switchboard.balancer.grpclb.internal.lb.v1.InitialLoadBalanceRequest;
import dev.switchboard.balancer.grpclb.internal.lb.v1.LoadBalanceRequest;
import dev.switchboard.balancer.grpclb.internal.lb.v1.LoadBalanceResponse;
import dev.switchboard.balancer.grpclb.internal.lb.v1.Server;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.SynchronizationContext.ScheduledHandle;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.ForwardingClientConn;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnStateListener;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.protobuf.ProtoMarshallers;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code grpclb} balancer: one {@code BalanceLoad} stream to the balancers, the child policy
 * over the servers they list, and fallback to the resolver's backends. It follows grpc-java's
 * {@code GrpclbState}; the differences are in the module's README.
 *
 * <h2>Modes</h2>
 *
 * <ul>
 *   <li><b>Waiting</b>: a stream is open (or being retried) and no server list has come. Calls
 *       queue (the channel's initial picker; nothing is published).
 *   <li><b>Balancer</b>: a server list has come on the current stream. Its backends go to the
 *       child (one endpoint per entry, the token a balancer-only attribute of the address), its drop
 *       entries to the {@link GrpclbPicker}; calls carry tokens and are counted for load reports.
 *   <li><b>Fallback</b>: the resolver's backend addresses go to the child, without tokens, drops or
 *       load reports. Entered when there is no balancer address, when no server list came within
 *       the fallback timeout, when the balancer sends {@code fallback_response}, or when the stream
 *       is lost while no backend is READY (then, or as soon as none is). Left when a server list
 *       comes.
 * </ul>
 *
 * <h2>The stream</h2>
 *
 * <p>Opened wait-for-ready on an out-of-band channel to the balancer addresses, with the first
 * balancer's authority. It sends {@code initial_request{name}} (the config's {@code serviceName}, or
 * the channel's authority); the first response must be {@code initial_response}, whose {@code
 * client_stats_report_interval}, if positive, starts load reports on that interval. When the stream
 * ends it is opened again: at once if the balancer had answered on it, otherwise after gRPC's
 * backoff; and the channel is asked to re-resolve. Each stream has its own {@link LoadRecorder}.
 *
 * <p>Not thread-safe: called on the channel's synchronization context, as every balancer; the
 * stream's callbacks hop onto it.
 */
final class GrpclbBalancer implements Balancer<GrpclbConfig> {
  private static final System.Logger LOG = System.getLogger(GrpclbBalancer.class.getName());

  /** {@code grpc.lb.v1.LoadBalancer/BalanceLoad}. */
  static final MethodDescriptor<LoadBalanceRequest, LoadBalanceResponse> BALANCE_LOAD =
      MethodDescriptor.newBuilder(
              ProtoMarshallers.marshaller(LoadBalanceRequest.getDefaultInstance()),
              ProtoMarshallers.marshaller(LoadBalanceResponse.getDefaultInstance()))
          .type(MethodDescriptor.MethodType.BIDI_STREAMING)
          .fullMethodName("grpc.lb.v1.LoadBalancer/BalanceLoad")
          .build();

  private static final Picker QUEUE = Picker.of(PickResult.withNoResult());
  private static final Drop[] NO_DROPS = new Drop[0];
  private static final Status NO_BACKENDS =
      Status.UNAVAILABLE.withDescription("grpclb: the balancer's server list has no backends");
  private static final Picker NO_BACKENDS_PICKER = Picker.of(PickResult.withError(NO_BACKENDS));

  private final ClientConn conn;
  private final BalancerArgs args;
  private final SynchronizationContext sync;
  private final Backoff backoff = new Backoff();
  private GrpclbConfig config;
  private boolean closed;

  // From the resolver.
  private List<Endpoint> fallbackEndpoints = List.of();
  private Attributes resolverAttributes = Attributes.EMPTY;
  private List<Address> lbAddresses = List.of();

  // The balancer.
  private ManagedChannel lbChannel;
  private LbStream stream;
  private ScheduledHandle retryTimer;
  private ScheduledHandle fallbackTimer;
  private boolean fallbackTimerStarted;
  /** A server list came on the current stream. */
  private boolean balancerWorking;
  private boolean usingFallback;
  /** Why fallback is due; null while it is not. */
  private Status fallbackReason;

  // What the picker is made of.
  private LoadRecorder recorder;
  private Drop[] drops = NO_DROPS;
  private Child<?> child;
  private boolean childHasBackends;
  private ConnectivityState childState = ConnectivityState.CONNECTING;
  private Picker childPicker = QUEUE;
  /** The subconns of the child, in creation order. */
  private final Set<Backend> backends = new LinkedHashSet<>();

  // What was published last (the initial CONNECTING queue is the channel's own: not published).
  private ConnectivityState publishedState = ConnectivityState.CONNECTING;
  private PickerKey publishedKey = new PickerKey(QUEUE, drops);

  GrpclbBalancer(ClientConn conn, BalancerArgs args) {
    this.conn = requireNonNull(conn, "conn");
    this.args = requireNonNull(args, "args");
    this.sync = conn.synchronizationContext();
  }

  @Override
  public Status updateClientConnState(ClientConnState<GrpclbConfig> state) {
    requireNonNull(state, "state");
    if (closed) {
      return Status.UNAVAILABLE.withDescription("grpclb: closed");
    }
    List<Address> lbs = state.attributes().get(ResolverState.GRPCLB_BALANCER_ADDRESSES).orElse(List.of());
    if (lbs.isEmpty() && state.endpoints().isEmpty()) {
      Status error = Status.UNAVAILABLE.withDescription("grpclb: the resolver of "
          + ErrorText.quote(conn.target().original()) + " returned neither balancer nor backend addresses");
      resolverError(error);
      return error;
    }
    GrpclbConfig newConfig = state.balancerConfig();
    if (config != null && !config.equals(newConfig)) {
      LOG.log(Level.DEBUG, () -> "grpclb: new config " + newConfig + ", starting over");
      reset();
    }
    config = newConfig;
    fallbackEndpoints = state.endpoints();
    resolverAttributes = state.attributes();
    if (lbs.isEmpty()) {
      shutDownBalancerChannel();
      if (!usingFallback) {
        fallbackReason = Status.UNAVAILABLE.withDescription("grpclb: the resolver found no balancer address");
        cancelFallbackTimer();
        maybeUseFallback();
      }
    } else {
      openBalancerChannel(lbs);
      if (stream == null) {
        cancelRetryTimer();
        startStream();
      }
      if (!fallbackTimerStarted && !usingFallback) {
        fallbackTimerStarted = true;
        Status reason = Status.UNAVAILABLE.withDescription("grpclb: no server list from the balancer within "
            + config.fallbackTimeout().toMillis() + " ms");
        fallbackTimer = sync.schedule(() -> {
          fallbackTimer = null;
          fallbackReason = reason;
          maybeUseFallback();
          publish();
        }, config.fallbackTimeout().toNanos(), TimeUnit.NANOSECONDS, conn.scheduler());
      }
    }
    if (usingFallback) {
      useFallback(); // the resolver's new backends
    }
    publish();
    return Status.OK;
  }

  @Override
  public void resolverError(Status error) {
    requireNonNull(error, "error");
    if (closed || childHasBackends) {
      return; // the backends we have may still work
    }
    publish(ConnectivityState.TRANSIENT_FAILURE,
        new GrpclbPicker(drops, Picker.of(PickResult.withError(error))), error);
  }

  @Override
  public void exitIdle() {
    if (child != null) {
      child.exitIdle();
    }
  }

  @Override
  public void close() {
    closed = true;
    reset();
  }

  /** Shuts everything down and forgets every mode (a new config starts over, as in grpc-java). */
  private void reset() {
    shutDownBalancerChannel();
    cancelRetryTimer();
    cancelFallbackTimer();
    fallbackTimerStarted = false;
    usingFallback = false;
    fallbackReason = null;
    recorder = null;
    drops = NO_DROPS;
    closeChild();
    backoff.reset();
  }

  // ---- balancer channel and stream ----

  private void openBalancerChannel(List<Address> lbs) {
    if (lbChannel != null && lbs.equals(lbAddresses)) {
      return;
    }
    shutDownBalancerChannel();
    lbAddresses = List.copyOf(lbs);
    String authority = lbs.get(0).attributes().get(Address.AUTHORITY_OVERRIDE).orElse(conn.authority());
    LOG.log(Level.DEBUG, () -> "grpclb: balancer channel to " + lbs + " as " + authority);
    lbChannel = conn.createOobChannel(lbAddresses, authority);
  }

  private void shutDownBalancerChannel() {
    if (stream != null) {
      LbStream s = stream;
      stream = null;
      s.close();
      s.call.cancel("grpclb: balancer channel shut down", null);
    }
    balancerWorking = false;
    if (lbChannel != null) {
      lbChannel.shutdownNow();
      lbChannel = null;
    }
    lbAddresses = List.of();
  }

  private void startStream() {
    String name = config.serviceName().orElse(conn.authority());
    LbStream s = new LbStream(lbChannel.newCall(BALANCE_LOAD, CallOptions.DEFAULT.withWaitForReady()));
    stream = s;
    s.call.start(s, new Metadata());
    s.call.request(1);
    s.call.sendMessage(LoadBalanceRequest.newBuilder()
        .setInitialRequest(InitialLoadBalanceRequest.newBuilder().setName(name))
        .build());
  }

  private void cancelRetryTimer() {
    if (retryTimer != null) {
      retryTimer.cancel();
      retryTimer = null;
    }
  }

  private void cancelFallbackTimer() {
    if (fallbackTimer != null) {
      fallbackTimer.cancel();
      fallbackTimer = null;
    }
  }

  private void onResponse(LbStream s, LoadBalanceResponse response) {
    if (s != stream || s.closed) {
      return;
    }
    LoadBalanceResponse.LoadBalanceResponseTypeCase type = response.getLoadBalanceResponseTypeCase();
    if (!s.initialResponseReceived) {
      if (type != LoadBalanceResponse.LoadBalanceResponseTypeCase.INITIAL_RESPONSE) {
        LOG.log(Level.WARNING, () -> "grpclb: ignoring a " + type + " before the initial response");
        return;
      }
      s.initialResponseReceived = true;
      com.google.protobuf.Duration interval = response.getInitialResponse().getClientStatsReportInterval();
      long nanos = TimeUnit.SECONDS.toNanos(interval.getSeconds()) + interval.getNanos();
      if (interval.getSeconds() >= 0 && nanos > 0) {
        s.reportIntervalNanos = nanos;
        scheduleReport(s);
      }
      return;
    }
    switch (type) {
      case SERVER_LIST -> onServerList(s, response.getServerList().getServersList());
      case FALLBACK_RESPONSE -> {
        LOG.log(Level.DEBUG, "grpclb: the balancer asked for fallback");
        cancelFallbackTimer();
        fallbackReason = Status.UNAVAILABLE.withDescription("grpclb: the balancer asked for fallback");
        useFallback();
        publish();
      }
      default -> LOG.log(Level.WARNING, () -> "grpclb: ignoring a response of type " + type);
    }
  }

  private void onServerList(LbStream s, List<Server> servers) {
    balancerWorking = true;
    usingFallback = false;
    fallbackReason = null;
    cancelFallbackTimer();
    recorder = s.recorder;
    Drop[] newDrops = new Drop[servers.size()];
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      Server server = servers.get(i);
      String token = server.getLoadBalanceToken();
      if (server.getDrop()) {
        newDrops[i] = new Drop(s.recorder, token);
        continue;
      }
      InetSocketAddress address;
      try {
        if (server.getPort() < 0 || server.getPort() > 65535) {
          throw new UnknownHostException("port " + server.getPort() + " (expected: 0-65535)");
        }
        address = new InetSocketAddress(InetAddress.getByAddress(server.getIpAddress().toByteArray()), server.getPort());
      } catch (UnknownHostException e) {
        int index = i;
        int length = server.getIpAddress().size();
        LOG.log(Level.WARNING, () -> "grpclb: skipping server " + index + " of the list: "
            + (length == 4 || length == 16 ? e.getMessage() : "an IP address of " + length
                + " bytes (expected: 4 or 16)"));
        continue;
      }
      if (!isPrintableAscii(token)) {
        int index = i;
        LOG.log(Level.WARNING, () -> "grpclb: server " + index + " of the list has a token that is not printable"
            + " ASCII; its calls carry none");
        token = "";
      }
      Attributes balancerOnly = Attributes.newBuilder().set(Backend.TOKEN, token).build();
      endpoints.add(Endpoint.of(Address.newBuilder(address).balancerAttributes(balancerOnly).build()));
    }
    drops = newDrops;
    for (Backend backend : backends) {
      backend.recordInto(recorder);
    }
    LOG.log(Level.DEBUG, () -> "grpclb: server list of " + servers.size() + " entries, " + endpoints.size() + " backends");
    updateChild(endpoints);
    publish();
  }

  /** Whether {@code token} can go out as a header value as it is (checked once, not per pick). */
  static boolean isPrintableAscii(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private void onStreamClosed(LbStream s, Status status) {
    if (s != stream || s.closed) {
      return;
    }
    s.close();
    stream = null;
    Status error = status.isOk()
        ? Status.UNAVAILABLE.withDescription("grpclb: the balancer ended the stream")
        : status.withDescription("grpclb: the stream to the balancer failed: "
            + status.description().orElse(status.code().name()));
    LOG.log(Level.DEBUG, () -> "grpclb: " + error);
    balancerWorking = false;
    fallbackReason = error;
    cancelFallbackTimer();
    maybeUseFallback(); // at once if no backend is READY
    publish();
    if (s.initialResponseReceived) {
      backoff.reset();
      startStream();
    } else {
      retryTimer = sync.schedule(() -> {
        retryTimer = null;
        if (lbChannel != null && stream == null) {
          startStream();
        }
      }, backoff.nextNanos(), TimeUnit.NANOSECONDS, conn.scheduler());
    }
    conn.resolveNow();
  }

  private void scheduleReport(LbStream s) {
    s.reportTimer = sync.schedule(() -> {
      s.reportTimer = null;
      if (s.closed) {
        return;
      }
      s.call.sendMessage(LoadBalanceRequest.newBuilder().setClientStats(s.recorder.report(Instant.now())).build());
      scheduleReport(s);
    }, s.reportIntervalNanos, TimeUnit.NANOSECONDS, conn.scheduler());
  }

  // ---- fallback ----

  private void maybeUseFallback() {
    if (balancerWorking || usingFallback || fallbackReason == null) {
      return;
    }
    if (childHasBackends && childState == ConnectivityState.READY) {
      return; // a backend of the last list still works
    }
    useFallback();
  }

  private void useFallback() {
    if (!usingFallback) {
      LOG.log(Level.DEBUG, () -> "grpclb: using the resolver's backends: " + fallbackReason);
    }
    usingFallback = true;
    recorder = null;
    drops = NO_DROPS;
    for (Backend backend : backends) {
      backend.recordInto(null);
    }
    updateChild(fallbackEndpoints);
  }

  // ---- the child ----

  private void updateChild(List<Endpoint> endpoints) {
    if (endpoints.isEmpty()) {
      closeChild();
      return;
    }
    childHasBackends = true;
    if (child == null) {
      child = new Child<>(config.childPolicy());
    }
    child.update(endpoints);
  }

  private void closeChild() {
    childHasBackends = false;
    if (child != null) {
      Child<?> closing = child;
      child = null;
      closing.close();
    }
    childState = ConnectivityState.CONNECTING;
    childPicker = QUEUE;
  }

  // ---- publishing ----

  private void publish() {
    if (closed) {
      return;
    }
    ConnectivityState state;
    Object childKey;
    Picker inner;
    Drop[] d = drops;
    if (childHasBackends) {
      state = childState;
      childKey = childPicker;
      inner = childPicker;
    } else if (usingFallback) {
      Status reason = fallbackReason == null ? Status.UNAVAILABLE : fallbackReason;
      Status error = Status.UNAVAILABLE.withDescription("grpclb: in fallback, but the resolver gave no backend"
          + " addresses (" + reason.description().orElse(reason.code().name()) + ")");
      state = ConnectivityState.TRANSIENT_FAILURE;
      childKey = error;
      inner = Picker.of(PickResult.withError(error));
    } else if (balancerWorking) {
      state = ConnectivityState.TRANSIENT_FAILURE;
      childKey = NO_BACKENDS;
      inner = NO_BACKENDS_PICKER;
    } else {
      state = ConnectivityState.CONNECTING;
      childKey = QUEUE;
      inner = QUEUE;
    }
    if (state == publishedState && publishedKey.same(childKey, d)) {
      return;
    }
    publish(state, new GrpclbPicker(d, inner), childKey);
  }

  private void publish(ConnectivityState state, Picker picker, Object childKey) {
    if (closed) {
      return;
    }
    publishedState = state;
    publishedKey = new PickerKey(childKey, drops);
    conn.updateState(state, picker);
  }

  /** What a published {@link GrpclbPicker} was made of, compared by identity. */
  private static final class PickerKey {
    final Object child;
    final Drop[] drops;

    PickerKey(Object child, Drop[] drops) {
      this.child = child;
      this.drops = drops;
    }

    boolean same(Object child, Drop[] drops) {
      return this.child.equals(child) && this.drops == drops;
    }
  }

  @Override
  public String toString() {
    return "GrpclbBalancer{" + (usingFallback ? "fallback" : balancerWorking ? "balancer" : "waiting")
        + ", " + backends.size() + " backends, child=" + child + "}";
  }

  // ---- what the child sees ----

  /**
   * The child policy and the {@link ClientConn} it sees: its subconns become {@link Backend}s (so
   * its picks return them), its state and picker come to grpclb, and nothing reaches it, or comes
   * from it, once it is closed. A child that throws is contained: logged, and its state becomes
   * {@code TRANSIENT_FAILURE} failing calls with {@code INTERNAL}. Not {@code GracefulSwitchBalancer}:
   * grpclb never switches its child's policy (a new config starts everything over), and its picks
   * must return grpclb's own subconns, unwrapped.
   */
  private final class Child<C> extends ForwardingClientConn {
    private final ChildPolicy<C> policy;
    private final Balancer<C> balancer;
    private boolean closed;

    Child(ChildPolicy<C> policy) {
      this.policy = policy;
      Balancer<C> created = null;
      try {
        created = requireNonNull(policy.provider().newBalancer(this, args), "newBalancer returned null");
      } catch (RuntimeException | Error e) {
        contain("newBalancer", e);
      }
      this.balancer = created;
    }

    @Override
    protected ClientConn delegate() {
      return conn;
    }

    void update(List<Endpoint> endpoints) {
      if (balancer == null || closed) {
        return;
      }
      try {
        Status status = balancer.updateClientConnState(ClientConnState.newBuilder(policy.config())
            .endpoints(endpoints).attributes(resolverAttributes).build());
        if (status != null && !status.isOk()) {
          LOG.log(Level.DEBUG, () -> "grpclb: " + policy.policyName() + " rejected " + endpoints + ": " + status);
        }
      } catch (RuntimeException | Error e) {
        contain("updateClientConnState", e);
      }
    }

    void exitIdle() {
      if (balancer != null && !closed) {
        try {
          balancer.exitIdle();
        } catch (RuntimeException | Error e) {
          contain("exitIdle", e);
        }
      }
    }

    void close() {
      closed = true;
      if (balancer != null) {
        try {
          balancer.close();
        } catch (RuntimeException | Error e) {
          LOG.log(Level.ERROR, "grpclb: child " + policy.policyName() + " threw in close", e);
        }
      }
      for (Backend backend : new ArrayList<>(backends)) {
        if (backend.owner == this) {
          backend.shutdown(); // left behind by the child
        }
      }
    }

    private void contain(String what, Throwable e) {
      LOG.log(Level.ERROR, "grpclb: child " + policy.policyName() + " threw in " + what, e);
      Status error = Status.INTERNAL.withDescription("grpclb: child policy " + ErrorText.quote(policy.policyName())
          + " failed in " + what + ": " + ErrorText.cut(e.toString())).withCause(e);
      updateState(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
    }

    @Override
    public SubConn newSubConn(List<Address> addresses, SubConnOptions options) {
      SubConnStateListener listener = options.stateListener();
      Backend[] self = new Backend[1];
      SubConnOptions guarded = SubConnOptions.newBuilder()
          .stateListener(state -> {
            if (closed || !backends.contains(self[0])) {
              return; // nothing reaches a closed child, or about a subconn it shut down
            }
            state.address().ifPresent(self[0]::connectedTo); // before the child publishes READY
            try {
              listener.onSubConnState(state);
            } catch (RuntimeException | Error e) {
              contain("a subconn state listener", e);
            }
          })
          .attributes(options.attributes())
          .build();
      Backend backend = new Backend(conn.newSubConn(addresses, guarded), addresses, recorder, this, backends::remove);
      self[0] = backend;
      if (closed) {
        backend.shutdown(); // created by a child racing its own close
      } else {
        backends.add(backend);
      }
      return backend;
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
      requireNonNull(state, "state");
      requireNonNull(picker, "picker");
      // Queued, as the channel does: the child's picker is taken after the child's method returns.
      sync.execute(() -> {
        if (closed || child != this) {
          return;
        }
        childState = state;
        childPicker = picker;
        if (state != ConnectivityState.READY) {
          maybeUseFallback();
        }
        publish();
      });
    }

    @Override
    public void resolveNow() {
      if (!closed) {
        conn.resolveNow();
      }
    }

    @Override
    public String toString() {
      return policy.policyName();
    }
  }

  // ---- the stream ----

  /** One {@code BalanceLoad} call; its callbacks hop onto the synchronization context. */
  private final class LbStream extends ClientCall.Listener<LoadBalanceResponse> {
    final ClientCall<LoadBalanceRequest, LoadBalanceResponse> call;
    final LoadRecorder recorder = new LoadRecorder();
    boolean initialResponseReceived;
    boolean closed;
    long reportIntervalNanos;
    ScheduledHandle reportTimer;

    LbStream(ClientCall<LoadBalanceRequest, LoadBalanceResponse> call) {
      this.call = call;
    }

    void close() {
      closed = true;
      if (reportTimer != null) {
        reportTimer.cancel();
        reportTimer = null;
      }
    }

    @Override
    public void onMessage(LoadBalanceResponse message) {
      sync.execute(() -> onResponse(this, message));
      call.request(1);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      sync.execute(() -> onStreamClosed(this, status));
    }
  }
}
