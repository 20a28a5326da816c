package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.testing.Dnsmasq;
import dev.switchboard.channel.testing.FakeResolverClientConn;
import dev.switchboard.resolver.dns.DnsResolverOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Options, threads and close of the dns resolver. */
class DnsResolverLifecycleTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final FakeResolverClientConn conn = FakeResolverClientConn.withParser(
      json -> ConfigOrError.fromError(Status.UNIMPLEMENTED.withDescription("no configs here")));

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private Resolver newResolver(String target, PluginOptions options) {
    return new DnsResolverProvider().newResolver(DnsResolverTest.target(target), conn,
        ResolverArgs.newBuilder().scheduler(scheduler).offloadExecutor(Runnable::run)
            .options(options).build());
  }

  private static Set<Thread> dnsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("switchboard-dns"))
        .collect(Collectors.toSet());
  }

  /** Polls until none of {@code threads} is alive, failing at the deadline. */
  private static void awaitDeath(Set<Thread> threads) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (threads.stream().anyMatch(Thread::isAlive)) {
      assertThat(System.nanoTime() - deadline).as("threads still alive: %s", threads).isNegative();
      Thread.onSpinWait();
    }
  }

  @Test
  void outOfRangeOptionsAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> newResolver("dns:///echo.test", PluginOptions.newBuilder().set(DnsResolverOptions.MIN_RESOLUTION_INTERVAL, Duration.ofSeconds(-1)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target 'dns:///echo.test'")
        .hasMessageContaining(DnsResolverOptions.MIN_RESOLUTION_INTERVAL.name())
        .hasMessageContaining("PT-1S (expected: zero or more)");
    assertThatThrownBy(() -> newResolver("dns:///echo.test", PluginOptions.newBuilder().set(DnsResolverOptions.QUERY_TIMEOUT, Duration.ZERO).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DnsResolverOptions.QUERY_TIMEOUT.name())
        .hasMessageContaining("PT0S (expected: more than zero)");
  }

  @Test
  void literalTargetsOwnNoThread() {
    Set<Thread> before = dnsThreads();
    Resolver resolver = newResolver("dns:///127.0.0.1:80", PluginOptions.NONE);
    assertThat(conn.states()).hasSize(1);
    assertThat(dnsThreads()).isEqualTo(before);
    resolver.close();
  }

  @Test
  void closeStopsTheEventLoopThread() {
    try (Dnsmasq dns = Dnsmasq.create().host("echo.test", "127.0.0.11").start()) {
      Set<Thread> before = dnsThreads();
      Resolver resolver = newResolver(dns.target("echo.test:1"), PluginOptions.NONE);
      conn.awaitState(TIMEOUT);
      Set<Thread> own = dnsThreads();
      own.removeAll(before);
      assertThat(own).as("the resolver's event loop").hasSize(1);
      assertThat(own.iterator().next().isDaemon()).isTrue();

      resolver.close();
      resolver.close();

      awaitDeath(own);
    }
  }

  @Test
  void closeDuringALookupDeliversNothing() {
    // Nothing listens on port 9 of 127.0.0.1 for DNS: the lookup runs until its timeout.
    Set<Thread> before = dnsThreads();
    Resolver resolver = newResolver("dns://127.0.0.1:9/echo.test:1", PluginOptions.newBuilder().set(DnsResolverOptions.QUERY_TIMEOUT, Duration.ofMillis(300)).build());
    Set<Thread> own = dnsThreads();
    own.removeAll(before);

    resolver.close();
    int atClose = conn.eventCount();

    // Once the event loop is gone no lookup can complete any more.
    awaitDeath(own);
    assertThat(conn.eventCount()).isEqualTo(atClose);
    assertThat(atClose).isZero();
  }
}
