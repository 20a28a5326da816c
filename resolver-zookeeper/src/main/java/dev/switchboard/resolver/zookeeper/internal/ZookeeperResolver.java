package dev.switchboard.resolver.zookeeper.internal;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Endpoint;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.resolver.zookeeper.ZookeeperAttributes;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * Watches one service's znode and its children with a {@link CuratorCache} (a persistent recursive
 * watch: no polling) on a shared session, and reports every change to the channel: the children
 * as instances, the service znode's own data, when it holds JSON, as the service config.
 *
 * <p>ZooKeeper faults: the cache keeps what it read while the connection or the session is away
 * (nothing is reported then, so the channel keeps the last addresses) and re-reads everything
 * when it is back; only a resolver that has never read anything reports {@code UNAVAILABLE}, after
 * the connection timeout.
 *
 * <p>Threading: the cache's events arrive on the session's Curator thread; each marks the state
 * dirty and at most one report is queued on the channel's offload executor, where {@link #report}
 * builds the whole state from the cache (a burst of a thousand registrations is one or a few
 * reports), looking up the instances that name a host rather than an IP.
 * {@link #resolveNow} reads nothing from ZooKeeper: it re-reports the cached state, at most once
 * per {@link #RESOLVE_NOW_INTERVAL}. Thread-safe.
 */
final class ZookeeperResolver implements Resolver {

  private static final System.Logger LOG = System.getLogger(ZookeeperResolver.class.getName());

  /** The least time between two reports that {@link #resolveNow} asks for. */
  static final Duration RESOLVE_NOW_INTERVAL = Duration.ofSeconds(1);

  private final ZookeeperTarget target;
  private final ClientConn clientConn;
  private final ZookeeperSessions.Lease lease;
  private final ScheduledExecutorService scheduler;
  private final Executor offloadExecutor;
  private final Deadline.Ticker ticker;
  private final boolean serviceConfigIgnored;
  private final Duration connectionTimeout;
  private final InstanceParser parser;
  private final CuratorCache cache;

  private final Object lock = new Object();
  // Guarded by lock.
  private boolean closed;
  private boolean initialized;
  private boolean reportQueued;
  private boolean forceNext;
  private ScheduledFuture<?> resolveNowTimer;
  private ScheduledFuture<?> connectionTimer;
  private long lastForcedNanos;
  private boolean everForced;
  // Touched by report() only, which runs serially (under reportLock).
  private final Object reportLock = new Object();
  private List<Object> lastReported;
  private Set<String> loggedProblems = Set.of();

  ZookeeperResolver(ZookeeperTarget target, ClientConn clientConn, ZookeeperSessions.Lease lease,
      ScheduledExecutorService scheduler, Executor offloadExecutor, Deadline.Ticker ticker,
      boolean serviceConfigIgnored, Duration connectionTimeout) {
    this.target = target;
    this.clientConn = clientConn;
    this.lease = lease;
    this.scheduler = scheduler;
    this.offloadExecutor = offloadExecutor;
    this.ticker = ticker;
    this.serviceConfigIgnored = serviceConfigIgnored;
    this.connectionTimeout = connectionTimeout;
    this.parser = new InstanceParser(target.format(), target.port());
    this.cache = CuratorCache.builder(lease.client(), target.path())
        .withExceptionHandler(e -> LOG.log(Level.DEBUG,
            () -> "zk target " + target.original() + ": read failed, retried when connected", e))
        .build();
  }

  void start() {
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, before, after) -> changed())
        .forInitialized(this::initialized)
        .build());
    synchronized (lock) {
      connectionTimer = scheduler.schedule(this::connectionTimedOut, connectionTimeout.toNanos(),
          TimeUnit.NANOSECONDS);
    }
    cache.start();
  }

  private void initialized() {
    synchronized (lock) {
      initialized = true;
      if (connectionTimer != null) {
        connectionTimer.cancel(false);
      }
    }
    changed();
  }

  private void connectionTimedOut() {
    synchronized (lock) {
      if (closed || initialized) {
        return;
      }
    }
    clientConn.reportError(Status.UNAVAILABLE.withDescription("zk target " + ErrorText.quote(target.original())
        + ": nothing read from ZooKeeper " + lease.key() + " within " + connectionTimeout
        + " (still trying)"));
  }

  /** A node changed (or the first read is done): queue one report unless one is queued. */
  private void changed() {
    synchronized (lock) {
      if (closed || !initialized || reportQueued) {
        return;
      }
      reportQueued = true;
    }
    queueReport();
  }

  @Override
  public void resolveNow() {
    synchronized (lock) {
      if (closed || !initialized || forceNext || resolveNowTimer != null) {
        return; // nothing read yet (the first read reports), or a report is already coming
      }
      long now = ticker.nanoTime();
      long wait = everForced ? lastForcedNanos + RESOLVE_NOW_INTERVAL.toNanos() - now : 0;
      if (wait > 0) {
        resolveNowTimer = scheduler.schedule(this::forcedReport, wait, TimeUnit.NANOSECONDS);
        return;
      }
      forceNext = true;
      everForced = true;
      lastForcedNanos = now;
      if (reportQueued) {
        return;
      }
      reportQueued = true;
    }
    queueReport();
  }

  private void forcedReport() {
    synchronized (lock) {
      resolveNowTimer = null;
      if (closed) {
        return;
      }
      forceNext = true;
      everForced = true;
      lastForcedNanos = ticker.nanoTime();
      if (reportQueued) {
        return;
      }
      reportQueued = true;
    }
    queueReport();
  }

  private void queueReport() {
    try {
      offloadExecutor.execute(this::report);
    } catch (RejectedExecutionException e) {
      // The channel shut its executor down: it is closing this resolver too.
      synchronized (lock) {
        reportQueued = false;
      }
    }
  }

  /** Builds the state from the cache and reports it, unless it is the one reported last. */
  private void report() {
    boolean force;
    synchronized (lock) {
      reportQueued = false;
      force = forceNext;
      forceNext = false;
      if (closed) {
        return;
      }
    }
    synchronized (reportLock) {
      List<Object> seen = new ArrayList<>(4);
      ResolverState state = currentState(seen);
      if (!force && seen.equals(lastReported)) {
        return;
      }
      lastReported = seen;
      synchronized (lock) {
        if (closed) {
          return;
        }
      }
      clientConn.updateState(state);
    }
  }

  /** Returns the state the cache holds, and adds what it was made of to {@code seen}. */
  private ResolverState currentState(List<Object> seen) {
    String root = target.path();
    String childPrefix = root + "/";
    List<ChildData> children = new ArrayList<>();
    Optional<ChildData> service = Optional.empty();
    for (ChildData node : (Iterable<ChildData>) cache.stream()::iterator) {
      String path = node.getPath();
      if (path.equals(root)) {
        service = Optional.of(node);
      } else if (path.startsWith(childPrefix) && path.indexOf('/', childPrefix.length()) < 0) {
        children.add(node); // an instance; deeper znodes are not
      }
    }
    children.sort(Comparator.comparing(ChildData::getPath));
    List<Endpoint> endpoints = new ArrayList<>(children.size());
    List<String> skipped = new ArrayList<>();
    for (ChildData child : children) {
      InstanceParser.Parsed parsed = parser.parse(child.getPath(), child.getData());
      parsed.problem().ifPresent(p -> skipped.add(child.getPath() + ": " + p));
      if (parsed.socketAddress().isPresent()) {
        InetSocketAddress socketAddress = parsed.socketAddress().get();
        if (socketAddress.isUnresolved()) {
          try {
            // The JVM caches lookups (30 s by default): a report does not ask DNS per instance.
            socketAddress = new InetSocketAddress(InetAddress.getByName(socketAddress.getHostString()),
                socketAddress.getPort());
          } catch (UnknownHostException e) {
            skipped.add(child.getPath() + ": address " + ErrorText.quote(socketAddress.getHostString())
                + " is unknown to DNS");
            continue;
          }
        }
        endpoints.add(Endpoint.of(Address.newBuilder(socketAddress)
            .balancerAttributes(parsed.balancerAttributes()).build()));
      }
    }
    logNewProblems(skipped);
    ResolverState.Builder state = ResolverState.newBuilder().endpoints(endpoints);
    if (!skipped.isEmpty()) {
      state.attributes(Attributes.newBuilder().set(ZookeeperAttributes.SKIPPED_INSTANCES, List.copyOf(skipped))
          .build());
    }
    String configText = "";
    if (!serviceConfigIgnored && service.isPresent()) {
      configText = configText(service.get());
      serviceConfig(service.get().getPath(), configText).ifPresent(state::serviceConfig);
    }
    seen.add(endpoints);
    // Address.equals leaves balancer attributes out: a changed zone or weight is a change here.
    seen.add(endpoints.stream().map(e -> e.addresses().get(0).balancerAttributes()).toList());
    seen.add(skipped);
    seen.add(configText);
    return state.build();
  }

  /** The service znode's data when it holds JSON (an object or an array), else empty. */
  private static String configText(ChildData service) {
    byte[] data = service.getData();
    String text = data == null ? "" : new String(data, StandardCharsets.UTF_8).strip();
    // Empty, as Curator leaves it, or not JSON (an address, as Curator's default data is): no config.
    return text.startsWith("{") || text.startsWith("[") ? text : "";
  }

  private Optional<ConfigOrError<ServiceConfig>> serviceConfig(String znode, String json) {
    if (json.isEmpty()) {
      return Optional.empty();
    }
    ConfigOrError<ServiceConfig> parsed = clientConn.parseServiceConfig(json);
    if (parsed.isOk()) {
      return Optional.of(parsed);
    }
    Status error = parsed.status();
    return Optional.of(ConfigOrError.fromError(error.withDescription("service config in znode "
        + znode + ": " + error.description().orElse("invalid"))));
  }

  /** Logs each corrupt instance once (again only when what is wrong with it changes). */
  private void logNewProblems(List<String> skipped) {
    Set<String> now = new HashSet<>(skipped);
    for (String problem : skipped) {
      if (!loggedProblems.contains(problem)) {
        LOG.log(Level.WARNING, "zk target {0}: instance left out, {1}", target.original(), problem);
      }
    }
    loggedProblems = now;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (connectionTimer != null) {
        connectionTimer.cancel(false);
      }
      if (resolveNowTimer != null) {
        resolveNowTimer.cancel(false);
      }
    }
    cache.close();
    lease.release();
  }

  @Override
  public String toString() {
    return "ZookeeperResolver{" + target.original() + "}";
  }
}
