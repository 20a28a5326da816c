package dev.switchboard.cli.internal;

import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.testing.backend.TestBackend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backends of {@code switchboard demo}: {@link TestBackend}s on 127.0.0.1, each on a port of
 * its own picked at start and kept across {@link #stop}/{@link #start}.
 *
 * <p>Thread-safe (the backends are, and the map is not changed after construction).
 */
final class TestBackendFleet implements DemoScenario.Fleet, AutoCloseable {
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, TestBackend> backends;

  private TestBackendFleet(Map<String, TestBackend> backends) {
    this.backends = backends;
  }

  /** Starts {@code count} backends named {@code backend-1}… on free loopback ports. */
  static TestBackendFleet start(int count) {
    Map<String, TestBackend> started = new LinkedHashMap<>();
    try {
      for (int i = 1; i <= count; i++) {
        String name = "backend-" + i;
        started.put(name, TestBackend.newBuilder()
            .name(name)
            .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start());
      }
    } catch (RuntimeException e) {
      started.values().forEach(TestBackend::close);
      throw e;
    }
    return new TestBackendFleet(started);
  }

  @Override
  public List<String> names() {
    return List.copyOf(backends.keySet());
  }

  /** Returns the backends' addresses, in the order of {@link #names()}. */
  List<Address> addresses() {
    List<Address> addresses = new ArrayList<>();
    backends.values().forEach(b -> addresses.add(Address.of(b.address())));
    return addresses;
  }

  /**
   * Shuts {@code name} down as a server being taken out of service does: GOAWAY, the calls in
   * flight finish, then its connections close (a crash would fail those calls on the client, which
   * no channel can hide). Returns once it is closed.
   */
  @Override
  public void stop(String name) throws InterruptedException {
    try {
      backend(name).shutdownGracefully().get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("stop " + name + ": not closed within " + SHUTDOWN_TIMEOUT, e);
    }
  }

  @Override
  public void start(String name) {
    backend(name).start();
  }

  private TestBackend backend(String name) {
    TestBackend b = backends.get(name);
    if (b == null) {
      throw new IllegalArgumentException("name: " + name + " (expected one of: " + names() + ")");
    }
    return b;
  }

  @Override
  public void close() {
    backends.values().forEach(TestBackend::close);
  }
}
