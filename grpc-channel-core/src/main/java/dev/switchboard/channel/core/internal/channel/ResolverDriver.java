package dev.switchboard.channel.core.internal.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.GracefulSwitchBalancer;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.core.internal.config.ParsedServiceConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the channel's resolver and turns what it reports into balancer updates: selects the service
 * config and the policy, feeds the {@link GracefulSwitchBalancer}, and re-resolves with gRPC's backoff after
 * an error or a rejected update until a good state arrives. Requests to re-resolve (from the
 * balancer, lost connections, the backoff) reach the resolver at most once a second.
 *
 * <h2>Service config</h2>
 *
 * <ul>
 *   <li>Ignored resolver configs, or none from the resolver: the builder's default, else empty.
 *   <li>A valid config from the resolver is used and remembered.
 *   <li>An invalid one keeps the last valid one from the resolver, else the builder's default;
 *       with neither, the update counts as a resolver error (fail-fast calls fail UNAVAILABLE
 *       naming the parse error).
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * <p>Not thread-safe: used on the channel's synchronization context. The {@link ClientConn} it
 * gives the resolver is thread-safe and hands everything over to that context.
 */
final class ResolverDriver {
  private static final System.Logger LOG = System.getLogger(ResolverDriver.class.getName());

  /** The least time between two {@code resolveNow()} calls to the resolver. */
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

  private final ManagedChannelImpl channel;
  private final ChannelSettings settings;
  private final SynchronizationContext syncContext;
  private final GracefulSwitchBalancer balancer;
  private final ExponentialBackoff backoff = new ExponentialBackoff();
  private ResolverConn conn;
  private Resolver resolver;
  private SynchronizationContext.ScheduledHandle retryTask;
  private SynchronizationContext.ScheduledHandle delayedRefresh;
  private Long lastRefreshNanos;
  private ParsedServiceConfig lastResolverConfig;
  private boolean closed;

  ResolverDriver(ManagedChannelImpl channel, GracefulSwitchBalancer balancer) {
    this.channel = channel;
    this.settings = channel.settings();
    this.syncContext = channel.syncContext();
    this.balancer = balancer;
  }

  /** Creates (and so starts) the resolver. A resolver that cannot start fails calls with why. */
  void start() {
    conn = new ResolverConn();
    ResolverArgs args =
        ResolverArgs.newBuilder()
            .defaultPort(settings.defaultPort())
            .authority(settings.authority())
            .serviceConfigIgnored(settings.ignoreResolverServiceConfig())
            .scheduler(channel.scheduler())
            .offloadExecutor(settings.offloadExecutor())
            .ticker(settings.ticker())
            .options(settings.resolverOptions())
            .build();
    try {
      resolver = settings.resolverProvider().newResolver(settings.target(), conn, args);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "resolver for " + quotedTarget() + " failed to start", e);
      conn.closed = true;
      channel.updateBalancingState(
          ConnectivityState.TRANSIENT_FAILURE,
          Picker.of(
              PickResult.withError(
                  Status.UNAVAILABLE
                      .withDescription("resolver for " + quotedTarget() + " failed to start: " + e)
                      .withCause(e))));
    }
  }

  /**
   * Asks the resolver to resolve again (a hint), at most once per {@link #MIN_REFRESH_INTERVAL}:
   * requests that come sooner are merged into one, made when the interval has passed, so that a
   * balancer asking on every subconn event cannot flood the resolver.
   */
  void refresh() {
    if (closed || resolver == null || delayedRefresh != null) {
      return;
    }
    long now = settings.ticker().nanoTime();
    long wait = lastRefreshNanos == null ? 0 : MIN_REFRESH_INTERVAL.toNanos() - (now - lastRefreshNanos);
    if (wait > 0) {
      delayedRefresh =
          syncContext.schedule(
              () -> {
                delayedRefresh = null;
                refresh();
              },
              wait,
              TimeUnit.NANOSECONDS,
              channel.scheduler());
      return;
    }
    lastRefreshNanos = now;
    try {
      resolver.resolveNow();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "resolveNow of the resolver for " + quotedTarget() + " threw", e);
    }
  }

  /** Re-resolves now if a backoff is under way (for {@code resetConnectBackoff}). */
  void resetBackoff() {
    if (retryTask != null) {
      retryTask.cancel();
      retryTask = null;
      backoff.reset();
      refresh();
    }
  }

  /** Stops the resolver and the balancer; nothing the resolver reports later gets through. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (conn != null) {
      conn.closed = true;
    }
    if (retryTask != null) {
      retryTask.cancel();
      retryTask = null;
    }
    if (delayedRefresh != null) {
      delayedRefresh.cancel();
      delayedRefresh = null;
    }
    if (resolver != null) {
      try {
        resolver.close();
      } catch (RuntimeException | Error e) {
        LOG.log(Level.ERROR, "close of the resolver for " + quotedTarget() + " threw", e);
      }
    }
    balancer.close();
  }

  private Status handleResolvedState(ResolverState state) {
    ParsedServiceConfig config = selectServiceConfig(state);
    if (config == null) {
      return Status.UNAVAILABLE; // already handled as a resolver error
    }
    channel.setServiceConfig(config);
    ChildPolicy<?> policy = config.loadBalancingPolicy().orElse(settings.defaultPolicy());
    Status status = balancer.updateClientConnState(ClientConnState.<ChildPolicy<?>>newBuilder(policy)
        .endpoints(state.endpoints()).attributes(state.attributes()).build());
    if (status.isOk()) {
      backoff.reset();
      if (retryTask != null) {
        retryTask.cancel();
        retryTask = null;
      }
    } else {
      LOG.log(Level.DEBUG, () -> "balancer rejected the state of " + quotedTarget() + ": " + status);
      scheduleRetry();
    }
    return status;
  }

  /** Returns the config to use, or null after handling an unusable one as a resolver error. */
  private ParsedServiceConfig selectServiceConfig(ResolverState state) {
    ParsedServiceConfig fallback =
        settings.defaultServiceConfig() != null ? settings.defaultServiceConfig() : ParsedServiceConfig.EMPTY;
    if (settings.ignoreResolverServiceConfig() || state.serviceConfig().isEmpty()) {
      return fallback;
    }
    ConfigOrError<ServiceConfig> fromResolver = state.serviceConfig().get();
    if (fromResolver.isOk()) {
      ServiceConfig parsed = fromResolver.config().orElseThrow();
      if (!(parsed instanceof ParsedServiceConfig)) {
        // Not from parseServiceConfig: parse its JSON so that a foreign implementation works too.
        fromResolver = settings.serviceConfigParser().parse(parsed.json());
      }
      if (fromResolver.isOk()) {
        lastResolverConfig = (ParsedServiceConfig) fromResolver.config().orElseThrow();
        return lastResolverConfig;
      }
    }
    Status error = fromResolver.status();
    LOG.log(Level.WARNING, "invalid service config for " + quotedTarget() + ": " + error);
    if (lastResolverConfig != null) {
      return lastResolverConfig;
    }
    if (settings.defaultServiceConfig() != null) {
      return settings.defaultServiceConfig();
    }
    handleResolverError(
        Status.UNAVAILABLE.withDescription(
            "invalid service config from the resolver of " + quotedTarget() + ": "
                + error.description().orElse(error.code().name())));
    return null;
  }

  private void handleResolverError(Status error) {
    LOG.log(Level.DEBUG, () -> "resolver error for " + quotedTarget() + ": " + error);
    balancer.resolverError(error);
    scheduleRetry();
  }

  private void scheduleRetry() {
    if (retryTask != null || closed) {
      return;
    }
    retryTask =
        syncContext.schedule(
            () -> {
              retryTask = null;
              refresh();
            },
            backoff.nextDelayNanos(),
            TimeUnit.NANOSECONDS,
            channel.scheduler());
  }

  /**
   * The {@link ClientConn} of one resolver instance. Thread-safe; callable inline from the
   * resolver's constructor and {@code resolveNow()}.
   */
  private final class ResolverConn implements ClientConn {
    volatile boolean closed;

    @Override
    public Status updateState(ResolverState state) {
      requireNonNull(state, "state");
      if (closed) {
        return Status.OK;
      }
      AtomicReference<Status> answer = new AtomicReference<>();
      // Runs here at once if the context is idle; otherwise it is queued and the answer is OK.
      syncContext.execute(
          () -> {
            if (!closed) {
              answer.set(handleResolvedState(state));
            }
          });
      Status status = answer.get();
      return status == null ? Status.OK : status;
    }

    @Override
    public void reportError(Status error) {
      requireNonNull(error, "error");
      if (error.isOk()) {
        throw new IllegalArgumentException("error: OK (expected: an error)");
      }
      if (closed) {
        return;
      }
      syncContext.execute(
          () -> {
            if (!closed) {
              handleResolverError(error);
            }
          });
    }

    @Override
    public ConfigOrError<ServiceConfig> parseServiceConfig(String json) {
      requireNonNull(json, "json");
      return settings.serviceConfigParser().parse(json);
    }
  }

  /** The target as error messages and logs quote it. */
  private String quotedTarget() {
    return ErrorText.quote(settings.target().original());
  }
}
