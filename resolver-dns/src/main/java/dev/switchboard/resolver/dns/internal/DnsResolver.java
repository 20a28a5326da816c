package dev.switchboard.resolver.dns.internal;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code dns} resolver: runs a {@link DnsLookup} when created and on {@link #resolveNow()},
 * rate-limited, and turns what it finds into a {@link ResolverState} for the channel.
 *
 * <h2>Re-resolution</h2>
 *
 * <p>There is no polling: a resolution runs at creation and then only on {@code resolveNow()} (the
 * channel asks when a connection drops or after an error). A {@code resolveNow()} that comes within
 * the minimum interval after the last successful resolution is deferred to the end of that interval
 * on the channel's scheduler (as grpc-go does); several such calls make one resolution. After a
 * failed resolution the next {@code resolveNow()} runs at once: the channel's backoff paces those.
 * A {@code resolveNow()} while a resolution is running is dropped, as that resolution's result is
 * about to arrive.
 *
 * <h2>Delivery</h2>
 *
 * <p>Results are handed to the {@link ClientConn} under this resolver's lock, which {@link
 * #close()} also takes, so nothing is delivered once {@code close()} has returned. The {@code
 * ClientConn} does not block (its contract), so neither does {@code close()} for long; it may call
 * back into this resolver inline (the lock is re-entrant).
 *
 * <p>Thread-safe.
 */
final class DnsResolver implements Resolver {
  private static final Logger LOG = System.getLogger(DnsResolver.class.getName());

  private final String txtName;
  private final ClientConn clientConn;
  private final DnsLookup lookup;
  private final ServiceConfigChoices choices;
  private final ScheduledExecutorService scheduler;
  private final Deadline.Ticker ticker;
  private final long minIntervalNanos;

  // Guarded by this.
  private boolean closed;
  private boolean resolving;
  private boolean resolvedOnce;
  private long lastResolvedNanos;
  private ScheduledFuture<?> deferred;

  DnsResolver(
      String host,
      ClientConn clientConn,
      DnsLookup lookup,
      ServiceConfigChoices choices,
      ScheduledExecutorService scheduler,
      Deadline.Ticker ticker,
      Duration minInterval) {
    this.txtName = NettyDnsLookup.TXT_PREFIX + host;
    this.clientConn = clientConn;
    this.lookup = lookup;
    this.choices = choices;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.minIntervalNanos = minInterval.toNanos();
  }

  /** Runs the first resolution. */
  void start() {
    resolveNow();
  }

  @Override
  public void resolveNow() {
    synchronized (this) {
      if (closed || resolving || deferred != null) {
        return;
      }
      if (resolvedOnce) {
        long wait = lastResolvedNanos + minIntervalNanos - ticker.nanoTime();
        if (wait > 0) {
          try {
            deferred = scheduler.schedule(this::runDeferred, wait, TimeUnit.NANOSECONDS);
          } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, () -> "scheduler refused a deferred resolution of " + txtName, e);
          }
          return;
        }
      }
      resolving = true;
    }
    lookup.resolve(this::onResolution);
  }

  private void runDeferred() {
    synchronized (this) {
      deferred = null;
    }
    resolveNow();
  }

  private void onResolution(DnsLookup.Resolution resolution) {
    synchronized (this) {
      resolving = false;
      if (closed) {
        return;
      }
      if (resolution.error() != null) {
        clientConn.reportError(resolution.error());
        return;
      }
      resolvedOnce = true;
      lastResolvedNanos = ticker.nanoTime();
      ResolverState state = toState(resolution);
      Status accepted = clientConn.updateState(state);
      if (!accepted.isOk()) {
        LOG.log(Level.DEBUG, () -> "channel rejected " + state + ": " + accepted);
      }
    }
  }

  private ResolverState toState(DnsLookup.Resolution resolution) {
    List<Address> addresses = new ArrayList<>();
    for (InetSocketAddress a : resolution.addresses()) {
      addresses.add(Address.of(a));
    }
    ResolverState.Builder state = ResolverState.newBuilder().addresses(addresses);
    if (!resolution.balancers().isEmpty()) {
      state.attributes(Attributes.newBuilder()
          .set(ResolverState.GRPCLB_BALANCER_ADDRESSES, resolution.balancers())
          .build());
    }
    if (resolution.txtRecords() != null) {
      serviceConfig(resolution.txtRecords()).ifPresent(state::serviceConfig);
    }
    return state.build();
  }

  private Optional<ConfigOrError<ServiceConfig>> serviceConfig(List<String> txtRecords) {
    try {
      return choices.choose(txtRecords).map(clientConn::parseServiceConfig);
    } catch (ServiceConfigChoices.InvalidChoicesException e) {
      return Optional.of(ConfigOrError.fromError(
          Status.UNAVAILABLE.withDescription("TXT record " + txtName + ": " + e.getMessage())));
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (deferred != null) {
        deferred.cancel(false);
        deferred = null;
      }
    }
    lookup.close();
  }
}
