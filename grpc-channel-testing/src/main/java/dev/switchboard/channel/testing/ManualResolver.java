package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.api.resolver.Target;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver that the test drives: the {@code manual} scheme (grpc-go's {@code manual.Resolver}).
 *
 * <p>A test creates one with a unique name and dials {@link #target()} ({@code manual:///<name>}),
 * which the {@code manual} provider found through {@link java.util.ServiceLoader} routes here; or
 * it hands {@link #provider()} to a channel builder. When the channel creates its resolver, this
 * object starts talking to the channel's {@link ClientConn}; the test then pushes states and
 * errors with {@link #updateState} and {@link #reportError}, and watches what the channel asks for
 * ({@link #resolveNowCount()}, {@link #isClosed()}).
 *
 * <pre>{@code
 * ManualResolver resolver = ManualResolver.create();
 * resolver.setInitialState(ResolverState.newBuilder().addresses(List.of(backend)).build());
 * ManagedChannel channel = ChannelBuilder.forTarget(resolver.target()).build();
 * ...
 * resolver.updateState(ResolverState.newBuilder().addresses(List.of(other)).build());
 * }</pre>
 *
 * <p>If the channel creates several resolvers over time (after it leaves idle mode, for example),
 * this object drives the latest one; nothing is delivered to a resolver that was closed.
 *
 * <p>Thread-safe: the channel and the test may call it from any thread.
 *
 * @since 0.1
 */
public final class ManualResolver {

  /** The scheme of manual resolvers. */
  public static final String SCHEME = "manual";

  private static final AtomicInteger NEXT_ID = new AtomicInteger();
  // Weak values: a test that drops its ManualResolver does not keep it alive for the whole run.
  private static final ConcurrentMap<String, WeakReference<ManualResolver>> BY_NAME =
      new ConcurrentHashMap<>();

  private final String name;
  private final Object lock = new Object();
  private final AtomicInteger resolveNowCount = new AtomicInteger();
  private ResolverState initialState;
  private Instance current;
  private int createdCount;

  private ManualResolver(String name) {
    this.name = name;
  }

  /** Returns a new manual resolver with a unique name, reachable through {@link #target()}. */
  public static ManualResolver create() {
    return create("manual-" + NEXT_ID.incrementAndGet());
  }

  /**
   * Returns a new manual resolver reachable as {@code manual:///<name>}.
   *
   * @throws IllegalArgumentException if {@code name} is empty or is already taken by a live resolver
   */
  public static ManualResolver create(String name) {
    requireNonNull(name, "name");
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException("name: " + ErrorText.quote(name) + " (expected: non-empty, without '/')");
    }
    BY_NAME.values().removeIf(ref -> ref.get() == null);
    ManualResolver resolver = new ManualResolver(name);
    BY_NAME.compute(name, (n, previous) -> {
      if (previous != null && previous.get() != null) {
        throw new IllegalArgumentException("name: " + ErrorText.quote(n) + " is already used by another ManualResolver");
      }
      return new WeakReference<>(resolver);
    });
    return resolver;
  }

  static Optional<ManualResolver> lookup(String name) {
    WeakReference<ManualResolver> ref = BY_NAME.get(name);
    return Optional.ofNullable(ref == null ? null : ref.get());
  }

  /** Returns the unique name, the endpoint of {@link #target()}. */
  public String name() {
    return name;
  }

  /** Returns the target to dial: {@code manual:///<name>}. */
  public String target() {
    return SCHEME + ":///" + name;
  }

  /**
   * Returns a provider of the {@code manual} scheme that serves this resolver for any target, for
   * channel builders that take providers directly.
   */
  public ResolverProvider provider() {
    return new ManualResolverProvider(this);
  }

  /**
   * Sets the state delivered inline from {@code newResolver()} to every resolver created from now
   * on, so that the channel has addresses before its first call. Default: none.
   */
  public void setInitialState(ResolverState state) {
    requireNonNull(state, "state");
    synchronized (lock) {
      this.initialState = state;
    }
  }

  Resolver newResolver(Target target, ClientConn clientConn) {
    requireNonNull(target, "target");
    requireNonNull(clientConn, "clientConn");
    Instance instance = new Instance(target, clientConn);
    ResolverState initial;
    synchronized (lock) {
      current = instance;
      createdCount++;
      initial = initialState;
      lock.notifyAll();
    }
    if (initial != null) {
      instance.deliver(initial);
    }
    return instance;
  }

  /**
   * Hands {@code state} to the channel's latest resolver, on the calling thread.
   *
   * @return what the channel answered; {@link Status.Code#FAILED_PRECONDITION} without delivering
   *     anything if that resolver was closed
   * @throws IllegalStateException if the channel has not created a resolver yet (see
   *     {@link #awaitResolver} and {@link #setInitialState})
   */
  public Status updateState(ResolverState state) {
    requireNonNull(state, "state");
    return requireCurrent("updateState").deliver(state);
  }

  /**
   * Reports {@code error} to the channel's latest resolver, on the calling thread; nothing is
   * delivered if that resolver was closed.
   *
   * @throws IllegalStateException if the channel has not created a resolver yet
   */
  public void reportError(Status error) {
    requireNonNull(error, "error");
    requireCurrent("reportError").reportError(error);
  }

  /**
   * Parses {@code json} for putting into a state: with the parser of the channel's latest
   * resolver, or, before the channel created one (to build an {@linkplain #setInitialState initial
   * state}), with core's parser and the default plugins.
   */
  public ConfigOrError<ServiceConfig> parseServiceConfig(String json) {
    requireNonNull(json, "json");
    Instance instance;
    synchronized (lock) {
      instance = current;
    }
    return instance != null
        ? instance.clientConn.parseServiceConfig(json)
        : DefaultServiceConfigParser.INSTANCE.parse(json);
  }

  /** Returns how many times the channel called {@code resolveNow()}, over all its resolvers. */
  public int resolveNowCount() {
    return resolveNowCount.get();
  }

  /** Returns how many resolvers the channel created with this one. */
  public int resolverCount() {
    synchronized (lock) {
      return createdCount;
    }
  }

  /** Returns whether the channel's latest resolver was closed (false before it created any). */
  public boolean isClosed() {
    synchronized (lock) {
      return current != null && current.closed;
    }
  }

  /** Returns the target the channel's latest resolver was created for, if any. */
  public Optional<Target> lastTarget() {
    synchronized (lock) {
      return Optional.ofNullable(current == null ? null : current.target);
    }
  }

  /**
   * Waits until the channel has created a resolver and returns the {@link ClientConn} it gave it.
   *
   * @throws AssertionError if it does not within {@code timeout}
   */
  public ClientConn awaitResolver(Duration timeout) {
    requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (current == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no resolver created for " + target() + " within " + timeout);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for a resolver for " + target(), e);
        }
      }
      return current.clientConn;
    }
  }

  private Instance requireCurrent(String method) {
    synchronized (lock) {
      if (current == null) {
        throw new IllegalStateException(method + "() before the channel created a resolver for "
            + target() + " (expected: awaitResolver() first, or setInitialState())");
      }
      return current;
    }
  }

  @Override
  public String toString() {
    return "ManualResolver{" + target() + "}";
  }

  /** One resolver created by the channel. */
  private final class Instance implements Resolver {
    private final Target target;
    private final ClientConn clientConn;
    private volatile boolean closed;

    Instance(Target target, ClientConn clientConn) {
      this.target = target;
      this.clientConn = clientConn;
    }

    Status deliver(ResolverState state) {
      if (closed) {
        return Status.FAILED_PRECONDITION.withDescription("resolver for " + target + " is closed");
      }
      return clientConn.updateState(state);
    }

    void reportError(Status error) {
      if (!closed) {
        clientConn.reportError(error);
      }
    }

    @Override
    public void resolveNow() {
      resolveNowCount.incrementAndGet();
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public String toString() {
      return "ManualResolver.Instance{" + target + (closed ? ", closed" : "") + "}";
    }
  }
}
