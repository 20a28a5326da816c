package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ResolverProvider} must meet. A provider module extends it in its tests:
 *
 * <pre>{@code
 * class FileResolverProviderContractTest extends ResolverProviderContractTest {
 *   protected ResolverProvider provider() { return new FileResolverProvider(); }
 *   protected Target validTarget() { return Targets.parse("file:///" + path); }
 *   protected Optional<Target> invalidTarget() { return Optional.of(Targets.parse("file://host/x")); }
 * }
 * }</pre>
 *
 * <p>It checks: the scheme is non-empty lower case; the priority is within 0..10; a resolver for a
 * valid target reports a state or an error within {@link #resolutionTimeout()}; {@code resolveNow}
 * may be called often, concurrently, without blocking; {@code close} is idempotent and nothing is
 * reported after it returns; a {@code ClientConn} that calls back into the resolver inline does
 * not deadlock it; an invalid target is refused, by {@code checkTarget} and by {@code newResolver},
 * with an {@link IllegalArgumentException} whose message names the target; the provider is declared in the module descriptor and in
 * {@code META-INF/services}.
 *
 * <p>Each test gets a fresh real scheduler and offload executor (daemon threads, shut down after
 * the test) through {@link #resolverArgs()}; override it to give the resolver something else.
 *
 * <p>Not thread-safe: JUnit runs one test method of an instance at a time.
 *
 * @since 0.1
 */
public abstract class ResolverProviderContractTest {

  private ScheduledExecutorService scheduler;
  private ExecutorService offloadExecutor;
  private ExecutorService testThreads;
  private final List<Resolver> resolvers = new ArrayList<>();

  /** Creates the test; JUnit calls it. */
  protected ResolverProviderContractTest() {}

  /** Returns the provider under test; may return the same instance every time. */
  protected abstract ResolverProvider provider();

  /**
   * Returns a target that the provider resolves in the test environment (a resolver for it reports
   * a state or an error within {@link #resolutionTimeout()}). It may start a peer on first use.
   */
  protected abstract Target validTarget();

  /** Returns a target that {@code newResolver} must refuse, if the scheme has one. Default: none. */
  protected Optional<Target> invalidTarget() {
    return Optional.empty();
  }

  /** Returns how long a resolver may take to report its first result. Default: 10 seconds. */
  protected Duration resolutionTimeout() {
    return Duration.ofSeconds(10);
  }

  /**
   * Returns how long to watch for reports after {@code close()}, to check that none arrive, and
   * for late inline callbacks after {@code resolveNow()}. Default: 200 milliseconds.
   */
  protected Duration quietPeriodAfterClose() {
    return Duration.ofMillis(200);
  }

  /**
   * Returns the arguments given to {@code newResolver}. Default: port 443, the per-test scheduler
   * and offload executor, the system ticker.
   */
  protected ResolverArgs resolverArgs() {
    return ResolverArgs.newBuilder().scheduler(scheduler).offloadExecutor(offloadExecutor).build();
  }

  /**
   * Returns a fresh {@link FakeResolverClientConn} for a test. Default: one that parses service
   * configs as the channel does.
   */
  protected FakeResolverClientConn newClientConn() {
    return FakeResolverClientConn.create();
  }

  /** Creates the per-test executors. */
  @BeforeEach
  public void startExecutors() {
    scheduler = Executors.newSingleThreadScheduledExecutor(daemon("contract-scheduler"));
    offloadExecutor = Executors.newCachedThreadPool(daemon("contract-offload"));
    testThreads = Executors.newCachedThreadPool(daemon("contract-test"));
  }

  /** Closes every resolver the test created and stops the executors. */
  @AfterEach
  public void stopExecutors() {
    for (Resolver r : resolvers) {
      r.close();
    }
    resolvers.clear();
    scheduler.shutdownNow();
    offloadExecutor.shutdownNow();
    testThreads.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private Resolver newResolver(Target target, FakeResolverClientConn conn) {
    Resolver r = provider().newResolver(target, conn, resolverArgs());
    assertThat(r).as("newResolver(%s) result", target).isNotNull();
    resolvers.add(r);
    return r;
  }

  /** The scheme is non-empty and lower case. */
  @Test
  public void schemeIsNonEmptyLowerCase() {
    String scheme = provider().scheme();
    assertThat(scheme).as("scheme()").isNotNull().isNotEmpty();
    assertThat(scheme).as("scheme()").isEqualTo(scheme.toLowerCase(Locale.ROOT));
  }

  /** The priority is within 0..10. */
  @Test
  public void priorityIsWithinZeroToTen() {
    assertThat(provider().priority()).as("priority()").isBetween(0, 10);
  }

  /** A resolver for a valid target reports a state or an error within the timeout. */
  @Test
  public void validTargetReportsStateOrErrorWithinTimeout() {
    FakeResolverClientConn conn = newClientConn();
    newResolver(validTarget(), conn);
    conn.awaitEvents(1, resolutionTimeout());
  }

  /** {@code resolveNow} called many times from many threads at once returns promptly. */
  @Test
  public void resolveNowManyTimesConcurrentlyDoesNotBlock() throws Exception {
    FakeResolverClientConn conn = newClientConn();
    Resolver r = newResolver(validTarget(), conn);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      futures.add(testThreads.submit(() -> {
        start.await();
        for (int j = 0; j < 100; j++) {
          r.resolveNow();
        }
        return null;
      }));
    }
    start.countDown();
    long deadline = System.nanoTime() + resolutionTimeout().toNanos();
    for (Future<?> f : futures) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(
            threads + " threads calling resolveNow() 100 times each did not finish within "
                + resolutionTimeout() + ": resolveNow() blocks", e);
      }
    }
  }

  /** {@code close} may be called twice, and nothing is reported once it has returned. */
  @Test
  public void closeIsIdempotentAndNothingIsReportedAfterIt() {
    FakeResolverClientConn conn = newClientConn();
    Resolver r = newResolver(validTarget(), conn);
    conn.awaitEvents(1, resolutionTimeout());
    r.resolveNow();
    r.close();
    r.close();
    conn.assertNoEventsAfter(conn.eventCount(), quietPeriodAfterClose());
  }

  /**
   * A {@code ClientConn} that calls {@code resolveNow()} inline from inside {@code updateState} or
   * {@code reportError} does not deadlock the resolver.
   */
  @Test
  public void inlineResolveNowFromClientConnDoesNotDeadlock() throws Exception {
    FakeResolverClientConn conn = newClientConn();
    AtomicReference<Resolver> resolver = new AtomicReference<>();
    AtomicInteger inlineCalls = new AtomicInteger();
    AtomicInteger inlineReturns = new AtomicInteger();
    conn.onEvent(() -> {
      Resolver r = resolver.get();
      // Bounded, so that a resolver that reports on every resolveNow does not loop forever.
      if (r != null && inlineCalls.incrementAndGet() <= 3) {
        r.resolveNow();
        inlineReturns.incrementAndGet();
      }
    });
    Duration limit = resolutionTimeout().multipliedBy(2);
    Future<?> run = testThreads.submit(() -> {
      resolver.set(newResolver(validTarget(), conn));
      conn.awaitEvents(1, resolutionTimeout());
      resolver.get().resolveNow();
      return null;
    });
    try {
      run.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("newResolver()/resolveNow() with a ClientConn that calls resolveNow() "
          + "inline did not finish within " + limit + ": deadlock? reports: " + conn.events(), e);
    }
    // The inline calls may run on the resolver's own threads, after resolveNow() returned: watch
    // for the quiet period, and give every inline call that started until the limit to return.
    long quietEnd = System.nanoTime() + quietPeriodAfterClose().toNanos();
    long deadline = System.nanoTime() + limit.toNanos();
    while (inlineReturns.get() < Math.min(inlineCalls.get(), 3) || System.nanoTime() - quietEnd < 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("resolveNow() called inline from inside a report did not return within "
            + limit + ": deadlock? reports: " + conn.events());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** An invalid target is refused with an {@link IllegalArgumentException} naming the target. */
  @Test
  public void invalidTargetIsRefusedWithMessageNamingIt() {
    Optional<Target> invalid = invalidTarget();
    if (invalid.isEmpty()) {
      return; // The scheme accepts every target.
    }
    Target target = invalid.get();
    FakeResolverClientConn conn = newClientConn();
    assertThatThrownBy(() -> provider().checkTarget(target))
        .as("checkTarget(%s)", target)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(target.original());
    assertThatThrownBy(() -> newResolver(target, conn))
        .as("newResolver(%s)", target)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(target.original());
  }

  /** The valid target passes {@code checkTarget}, which the channel calls when it is built. */
  @Test
  public void validTargetPassesCheckTarget() {
    provider().checkTarget(validTarget());
  }

  /** The provider is declared with {@code provides} in module-info and in {@code META-INF/services}. */
  @Test
  public void providerIsDeclaredInModuleInfoAndServiceFiles() {
    Class<?> providerClass = provider().getClass();
    ServiceDeclarations.of(providerClass).assertDeclares(ResolverProvider.class, providerClass);
  }
}
