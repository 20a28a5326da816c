package dev.switchboard.channel.testing.backend;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.testing.backend.internal.BackendServer;
import dev.switchboard.channel.testing.backend.internal.BackendState;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A small gRPC server for tests, in-process on loopback: it serves {@code grpc.health.v1.Health/Check}
 * and the {@code switchboard.testing.Echo} service of {@link TestMethods}, and every echo response
 * names the backend that served it, so a test can see where a balancer sent each call.
 *
 * <pre>{@code
 * try (TestBackend b1 = TestBackend.newBuilder().name("b1").build().start()) {
 *   // dial b1.address(); EchoResponse.backend() is "b1"
 *   b1.stop();   // the backend goes away: connections are closed
 *   b1.start();  // and comes back on the same port
 * }
 * }</pre>
 *
 * <p>It speaks HTTP/2 with prior knowledge (h2c), or TLS with ALPN {@code h2} when given a
 * certificate. A request for any other method gets {@code UNIMPLEMENTED} in a trailers-only
 * response; {@code grpc-timeout} is honoured; compressed requests are refused with
 * {@code UNIMPLEMENTED}. Each start uses one daemon I/O thread, released by {@link #stop()}.
 *
 * <p>Thread-safe. {@link #start()}, {@link #stop()} and {@link #close()} block and must not be
 * called from a backend's I/O thread.
 *
 * @since 0.1
 */
public final class TestBackend implements AutoCloseable {

  private final BackendState state;
  private final BackendServer server;
  private InetSocketAddress address;
  private boolean running;

  private TestBackend(Builder b) {
    this.state = new BackendState(b.name, b.methods);
    this.server = new BackendServer(state, b.certChain, b.privateKey, b.gracePeriod);
    this.address = b.address;
  }

  /** Returns a builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Starts listening: on the configured address the first time, then on the port it bound first,
   * so a stopped backend comes back where clients expect it.
   *
   * @return this backend
   * @throws IllegalStateException if it is running
   * @throws UncheckedIOException if the address cannot be bound
   */
  public synchronized TestBackend start() {
    if (running) {
      throw new IllegalStateException("test backend " + name() + " is running (expected: stopped)");
    }
    address = server.start(address);
    running = true;
    return this;
  }

  /**
   * Stops at once, like a crashed server: closes the listener and every connection without
   * GOAWAY; calls in flight fail on the client. Does nothing if not running.
   */
  public synchronized void stop() {
    if (running) {
      running = false;
      server.stop();
    }
  }

  /**
   * Stops politely: closes the listener at once, sends GOAWAY on every connection (twice, with a
   * PING between, as gRPC servers do, so that a call the client was opening meanwhile is not lost),
   * lets the calls in flight finish (up to the {@linkplain Builder#gracePeriod grace period}), then
   * closes each connection. The backend may be {@linkplain #start() started} again before the future completes.
   *
   * @return completes when every connection is closed; already complete if not running
   */
  public synchronized CompletableFuture<Void> shutdownGracefully() {
    if (!running) {
      return CompletableFuture.completedFuture(null);
    }
    running = false;
    return server.shutdownGracefully();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Returns whether the backend is listening. */
  public synchronized boolean isRunning() {
    return running;
  }

  /** Returns the backend's name, as echo responses carry it. */
  public String name() {
    return state.name();
  }

  /**
   * Returns the address it listens on; before the first start, the configured one (whose port may
   * be 0).
   */
  public synchronized InetSocketAddress address() {
    return address;
  }

  /** Returns the port it listens on ({@code address().getPort()}). */
  public int port() {
    return address().getPort();
  }

  /** Returns whether connections use TLS. */
  public boolean isTls() {
    return server.isTls();
  }

  /**
   * Sets what health checks answer: {@code SERVING} (the default) or {@code NOT_SERVING}, for the
   * server ({@code ""}) and each of its services.
   */
  public void setServing(boolean serving) {
    state.setServing(serving);
  }

  /** Returns whether health checks answer {@code SERVING}. */
  public boolean isServing() {
    return state.isServing();
  }

  /**
   * Returns how many calls to served methods have arrived since the backend was built, counted
   * when their headers arrive (so before any response is sent). Unknown methods are not counted.
   */
  public long callsServed() {
    return state.callsServed();
  }

  /** Returns how many calls to {@code fullMethodName} ({@code package.Service/Method}) have arrived. */
  public long callsServed(String fullMethodName) {
    return state.callsServed(fullMethodName);
  }

  /**
   * Returns a copy of the request headers of the most recent call to a served method (every
   * header but the HTTP/2 pseudo-headers; binary values decoded), or empty before the first call.
   * Tests check with it what interceptors and balancers add, such as {@code lb-token}.
   */
  public Optional<Metadata> lastRequestHeaders() {
    return state.lastRequestHeaders();
  }

  @Override
  public String toString() {
    return "TestBackend{" + name() + " at " + address() + (isRunning() ? "" : ", stopped") + "}";
  }

  /**
   * Builds a {@link TestBackend}.
   *
   * <p>Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String name = "backend";
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private Path certChain;
    private Path privateKey;
    private Duration gracePeriod = Duration.ofSeconds(30);
    private final Map<MethodDescriptor<?, ?>, MethodHandler<?, ?>> methods = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Serves {@code method} with {@code handler}, beside (or instead of, for the same name) the
     * built-in health and echo methods: a fake load balancer, or any service a test needs.
     * Default: only the built-in methods.
     */
    public <ReqT, RespT> Builder method(MethodDescriptor<ReqT, RespT> method, MethodHandler<ReqT, RespT> handler) {
      methods.put(requireNonNull(method, "method"), requireNonNull(handler, "handler"));
      return this;
    }

    /** Sets the name that echo responses carry. Default: {@code "backend"}. */
    public Builder name(String name) {
      requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name is empty (expected: a backend name)");
      }
      this.name = name;
      return this;
    }

    /**
     * Sets the address to listen on; port 0 picks a free port. Default: the loopback address
     * (127.0.0.1) and port 0. Other loopback addresses (127.0.0.2, ::1) let several backends share
     * a port.
     */
    public Builder address(InetSocketAddress address) {
      requireNonNull(address, "address");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("address: " + address + " is unresolved (expected: an IP address)");
      }
      this.address = address;
      return this;
    }

    /**
     * Serves TLS with ALPN {@code h2}, with the given PEM certificate chain and PKCS#8 PEM
     * private key. Default: plaintext HTTP/2 (h2c with prior knowledge).
     */
    public Builder tls(Path certChain, Path privateKey) {
      this.certChain = requireNonNull(certChain, "certChain");
      this.privateKey = requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * Sets how long {@link TestBackend#shutdownGracefully()} waits for calls in flight before it
     * closes a connection anyway. Default: 30 seconds.
     */
    public Builder gracePeriod(Duration gracePeriod) {
      requireNonNull(gracePeriod, "gracePeriod");
      if (gracePeriod.isNegative()) {
        throw new IllegalArgumentException("gracePeriod: " + gracePeriod + " (expected: >= 0)");
      }
      this.gracePeriod = gracePeriod;
      return this;
    }

    /**
     * Returns a backend, not yet started.
     *
     * @throws IllegalArgumentException if the TLS certificate or key cannot be used
     */
    public TestBackend build() {
      return new TestBackend(this);
    }
  }
}
