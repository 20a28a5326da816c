package dev.switchboard.benchmarks.consul;

import dev.switchboard.benchmarks.ReadyTransportFactory;
import dev.switchboard.benchmarks.ReadyWatch;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.core.internal.transport.TransportFactoryOverride;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import dev.switchboard.channel.testing.ManualResolver;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time from creating a channel {@code consul://127.0.0.1:PORT/bench}, with {@code instances}
 * instances registered in a real Consul agent, each with a passing TTL check, to its
 * {@code round_robin} picker READY over all of them: {@link #channelToReadyPicker}, one whole
 * operation per invocation ({@link Mode#SingleShotTime}).
 *
 * <p>Measured: {@code ChannelBuilder} (the registry's providers, so the {@code consul} resolver from
 * resolver-consul's shaded jar through {@code META-INF/services}), {@code build()}, leaving idle
 * ({@code state(true)}: the channel creates its resolver, which starts its watches, each a thread of
 * its own with a new HTTP client and connection), the first answer of the health endpoint (every
 * instance with its node and checks, about 2.4 MB for 1 000, gzip-compressed on the wire) and, unless turned off, of the service
 * config's KV key (absent here: a 404), the parse and mapping, the resolver's report, round_robin's
 * subconns and their connections, until round_robin publishes a READY picker over all of them
 * ({@code ReadyWatch}). Each subconn's transport is {@code ReadyTransportFactory}'s: READY from its
 * one event-loop thread without a network, as in {@code ResolverUpdateBenchmark.channelUpdateToReadyPicker},
 * so no thousand servers are needed; the agent is real ({@link ConsulRegistry}: {@code consul agent
 * -dev}, a process of its own on 127.0.0.1, one per trial).
 *
 * <p>{@code resolver}:
 * <ul>
 *   <li>{@code consul}: the defaults, so two watches: the health endpoint and the KV key of the
 *       service config; the first state waits for both answers.
 *   <li>{@code consul-no-config}: option {@code consul.service-config=false} (the option object
 *       found by name among the provider's {@code options()}, as the CLI finds it): the health watch
 *       alone.
 *   <li>{@code manual}: the reference, the same span with the testing kit's {@code manual} resolver
 *       handing over the same {@code instances} addresses (127.0.0.1, the same ports, without the
 *       consul attributes) from {@code newResolver}: what is the channel's and round_robin's, not
 *       Consul's.
 * </ul>
 *
 * <p>{@link #healthQuery} is the floor under the {@code consul} rows: the same GET of the health
 * endpoint with the JDK's HTTP client on a kept-alive connection, asking for gzip as the resolver's
 * HTTP client does, the compressed body (about 50 KB for 1 000 instances) read whole, neither
 * decompressed nor parsed: the agent's and the loopback's share.
 *
 * <p>Before each invocation, outside the measurement: the previous channel's watch threads have
 * ended (so each shot starts its watches afresh) and {@code System.gc()}. After each: the picker
 * spreads picks over all {@code instances} subconns, the channel ran the expected number of watch
 * threads, and it is shut down and terminated.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ConsulResolverBenchmark {
  /** The service the channels watch. */
  static final String SERVICE = "bench";
  /** The first instance's port (never dialled). */
  static final int FIRST_PORT = 10_000;
  /** The name of every watch thread of resolver-consul ({@code BlockingWatch}). */
  static final String WATCH_THREAD = "switchboard-consul-watch";

  private static final PluginRegistry REGISTRY = PluginRegistry.loadDefault();

  @Benchmark
  public Picker channelToReadyPicker(Run run)
      throws InterruptedException, ExecutionException, TimeoutException {
    ReadyWatch watch = new ReadyWatch(run.instances);
    ChannelBuilder builder = ChannelBuilder.forTarget(run.target)
        .pluginRegistry(REGISTRY)
        .balancerProvider(watch.provider())
        .defaultLoadBalancingPolicy(ReadyWatch.POLICY)
        .usePlaintext();
    if (run.manual != null) {
      builder.resolverProvider(run.manual.provider());
    } else if (!run.serviceConfig) {
      builder.resolverOption(serviceConfigOption(), false);
    }
    ManagedChannel channel = TransportFactoryOverride.set(builder, new ReadyTransportFactory()).build();
    run.channel = channel;
    channel.state(true); // leaves idle: the channel creates its resolver
    Picker picker = watch.allReady().get(60, TimeUnit.SECONDS);
    run.picker = picker;
    return picker;
  }

  /** The floor: the agent's answer to the resolver's first query, read whole, not parsed. */
  @Benchmark
  public byte[] healthQuery(QueryRun run) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = run.http.send(run.request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200 || response.headers().firstValue("Content-Encoding").isEmpty()) {
      throw new IOException("GET " + run.request.uri() + ": " + response.statusCode() + " " + response.headers());
    }
    run.bytes = response.body().length;
    return response.body();
  }

  /** Returns {@code consul.service-config}: the provider's own option object, found by name. */
  @SuppressWarnings("unchecked")
  static PluginOption<Boolean> serviceConfigOption() {
    return (PluginOption<Boolean>) REGISTRY.resolverProvider("consul")
        .orElseThrow(() -> new IllegalStateException("no consul resolver on the class path"))
        .options().stream().filter(o -> o.name().equals("consul.service-config")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the consul resolver has no option consul.service-config"));
  }

  /** Returns the live threads of resolver-consul's watches. */
  static long watchThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(WATCH_THREAD)).count();
  }

  /** Waits until resolver-consul runs {@code expected} watch threads (closed watches end asynchronously). */
  static void awaitWatchThreads(long expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long now;
    while ((now = watchThreads()) != expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(now + " consul watch threads after " + timeout + " (expected: "
            + expected + ")");
      }
      LockSupport.parkNanos(2_000_000L); // the poll interval
    }
  }

  /** One trial's agent and HTTP client. */
  @State(Scope.Thread)
  public static class QueryRun {
    @Param({"1000"})
    public int instances;

    ConsulRegistry registry;
    HttpClient http;
    HttpRequest request;
    int bytes;

    @Setup(Level.Trial)
    public void start() throws Exception {
      registry = ConsulRegistry.start();
      registry.registerAll(SERVICE, instances, FIRST_PORT);
      http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      request = registry.healthRequest(SERVICE);
    }

    @Setup(Level.Invocation)
    public void quiet() {
      System.gc();
    }

    @TearDown(Level.Invocation)
    public void check() {
      if (bytes < instances * 20) {
        throw new IllegalStateException("the health answer has " + bytes + " bytes (expected: about 50 gzipped"
            + " bytes for each of " + instances + " instances)");
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      registry.close();
    }
  }

  /** One trial's agent (or manual resolver) and the channel of the current invocation. */
  @State(Scope.Thread)
  public static class Run {
    @Param({"consul", "consul-no-config", "manual"})
    public String resolver;

    @Param({"1000"})
    public int instances;

    String target;
    boolean serviceConfig;
    ConsulRegistry registry;
    ManualResolver manual;

    ManagedChannel channel;
    Picker picker;

    @Setup(Level.Trial)
    public void start() throws Exception {
      switch (resolver) {
        case "manual" -> {
          manual = ManualResolver.create();
          manual.setInitialState(ResolverState.newBuilder()
              .addresses(ConsulRegistry.addresses(instances, FIRST_PORT)).build());
          target = manual.target();
        }
        case "consul", "consul-no-config" -> {
          registry = ConsulRegistry.start();
          registry.registerAll(SERVICE, instances, FIRST_PORT);
          target = registry.target(SERVICE);
          serviceConfig = resolver.equals("consul");
        }
        default -> throw new IllegalArgumentException("resolver: " + resolver
            + " (expected: consul, consul-no-config, manual)");
      }
    }

    @Setup(Level.Invocation)
    public void quiet() {
      // The previous channel's watches are gone, so this one starts its own.
      awaitWatchThreads(0, Duration.ofSeconds(30));
      System.gc(); // the earlier invocations' garbage, outside the measurement
    }

    @TearDown(Level.Invocation)
    public void checkAndClose() throws InterruptedException {
      try {
        if (picker == null) {
          throw new IllegalStateException("no READY picker over all " + instances + " subconns");
        }
        Map<SubConn, Integer> spread = FakeBalancerClientConn.pickSpread(picker, instances);
        if (spread.size() != instances || spread.containsKey(null)) {
          throw new IllegalStateException("the READY picker spread " + instances + " picks over "
              + spread.size() + " subconns (expected: all " + instances + ")");
        }
        long expected = registry == null ? 0 : serviceConfig ? 2 : 1;
        if (watchThreads() != expected) {
          throw new IllegalStateException(watchThreads() + " consul watch threads with the channel open"
              + " (expected: " + expected + ")");
        }
      } finally {
        closeChannel(channel);
        channel = null;
        picker = null;
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      if (registry != null) {
        registry.close();
      }
    }

    private static void closeChannel(ManagedChannel channel) throws InterruptedException {
      if (channel == null) {
        return;
      }
      channel.shutdownNow();
      if (!channel.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("channel did not terminate: " + channel);
      }
    }
  }
}
