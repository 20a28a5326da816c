package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.testing.FakeResolverClientConn;
import dev.switchboard.channel.testing.ManualClock;
import dev.switchboard.resolver.dns.DnsResolverOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The resolveNow rate limit, on a manual clock. */
class DnsResolverRateLimitTest {
  private final ManualClock clock = ManualClock.create();
  private final FakeResolverClientConn conn = FakeResolverClientConn.withParser(
      json -> ConfigOrError.fromError(Status.UNIMPLEMENTED.withDescription("no configs here")));

  private Resolver localhost(PluginOptions options) {
    return new DnsResolverProvider().newResolver(DnsResolverTest.target("dns:///localhost:1"), conn,
        ResolverArgs.newBuilder().scheduler(clock).ticker(clock).offloadExecutor(Runnable::run)
            .options(options).build());
  }

  @Test
  void resolveNowWithinTheIntervalIsDeferredToItsEndAndCoalesced() {
    Resolver resolver = localhost(PluginOptions.NONE);
    assertThat(conn.states()).hasSize(1);

    clock.forwardTime(Duration.ofSeconds(10));
    resolver.resolveNow();
    resolver.resolveNow();
    resolver.resolveNow();
    assertThat(conn.states()).hasSize(1);

    clock.forwardTime(Duration.ofSeconds(19));
    assertThat(conn.states()).as("29 s after the first resolution").hasSize(1);
    clock.forwardTime(Duration.ofSeconds(1));
    assertThat(conn.states()).as("30 s after the first resolution").hasSize(2);

    clock.forwardTime(Duration.ofMinutes(10));
    assertThat(conn.states()).as("no polling").hasSize(2);
    resolver.close();
  }

  @Test
  void resolveNowAfterTheIntervalResolvesAtOnce() {
    Resolver resolver = localhost(PluginOptions.NONE);
    clock.forwardTime(Duration.ofSeconds(30));
    resolver.resolveNow();
    assertThat(conn.states()).hasSize(2);
    resolver.close();
  }

  @Test
  void intervalIsConfigurable() {
    Resolver resolver = localhost(PluginOptions.newBuilder().set(DnsResolverOptions.MIN_RESOLUTION_INTERVAL, Duration.ofSeconds(5)).build());
    resolver.resolveNow();
    clock.forwardTime(Duration.ofMillis(4999));
    assertThat(conn.states()).hasSize(1);
    clock.forwardTime(Duration.ofMillis(1));
    assertThat(conn.states()).hasSize(2);
    resolver.close();
  }

  @Test
  void closeCancelsADeferredResolution() {
    Resolver resolver = localhost(PluginOptions.NONE);
    resolver.resolveNow();
    assertThat(clock.numPendingTasks()).isEqualTo(1);

    resolver.close();

    assertThat(clock.numPendingTasks()).isZero();
    clock.forwardTime(Duration.ofMinutes(1));
    assertThat(conn.states()).hasSize(1);
  }

  @Test
  void afterAFailureResolveNowResolvesAtOnce() {
    Deque<DnsLookup.Resolution> script = new ArrayDeque<>(List.of(
        DnsLookup.Resolution.failed(Status.UNAVAILABLE.withDescription("first")),
        DnsLookup.Resolution.failed(Status.UNAVAILABLE.withDescription("second")),
        DnsLookup.Resolution.found(List.of(new InetSocketAddress("127.0.0.1", 1)), List.of(), null),
        DnsLookup.Resolution.found(List.of(new InetSocketAddress("127.0.0.1", 2)), List.of(), null)));
    AtomicInteger lookups = new AtomicInteger();
    DnsResolver resolver = new DnsResolver("echo.test", conn,
        done -> {
          lookups.incrementAndGet();
          done.accept(script.removeFirst());
        },
        new ServiceConfigChoices(() -> "", () -> 0), clock, clock, Duration.ofSeconds(30));

    resolver.start();
    resolver.resolveNow();
    resolver.resolveNow();
    assertThat(conn.errors()).hasSize(2);
    assertThat(conn.states()).hasSize(1);

    resolver.resolveNow();
    assertThat(lookups).as("the success starts the interval").hasValue(3);
    clock.forwardTime(Duration.ofSeconds(30));
    assertThat(lookups).hasValue(4);
    assertThat(conn.states()).hasSize(2);
    resolver.close();
  }

  @Test
  void resolveNowDuringALookupIsDropped() {
    AtomicInteger lookups = new AtomicInteger();
    DnsResolver resolver = new DnsResolver("echo.test", conn,
        done -> lookups.incrementAndGet(), // never completes
        new ServiceConfigChoices(() -> "", () -> 0), clock, clock, Duration.ZERO);

    resolver.start();
    resolver.resolveNow();
    resolver.resolveNow();

    assertThat(lookups).hasValue(1);
    assertThat(clock.numPendingTasks()).isZero();
    resolver.close();
  }
}
