package dev.switchboard.channel.core;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.internal.channel.ChannelSettings;
import dev.switchboard.channel.core.internal.channel.DirectExecutor;
import dev.switchboard.channel.core.internal.channel.ManagedChannelImpl;
import dev.switchboard.channel.core.internal.channel.TargetResolution;
import dev.switchboard.channel.core.internal.config.ParsedServiceConfig;
import dev.switchboard.channel.core.internal.config.ServiceConfigParser;
import dev.switchboard.channel.core.internal.transport.ClientTransportFactory;
import dev.switchboard.channel.core.internal.transport.TransportFactoryOverride;
import dev.switchboard.channel.core.internal.transport.netty.NettyTransportFactory;
import dev.switchboard.channel.core.internal.transport.netty.NettyTransportSettings;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds a {@link ManagedChannel} for a target.
 *
 * <pre>{@code
 * ManagedChannel channel = ChannelBuilder.forTarget("dns:///orders.example.com:443")
 *     .defaultServiceConfig("{\"loadBalancingConfig\": [{\"round_robin\": {}}]}")
 *     .build();
 * }</pre>
 *
 * <p>The target follows gRPC's naming document: {@code scheme://authority/endpoint}, or a bare
 * endpoint that gets the {@linkplain #defaultScheme default scheme}. Resolvers and balancers come
 * from the {@linkplain #pluginRegistry plugin registry}, and providers given here take precedence.
 * The channel starts {@code IDLE} and connects on its first call.
 *
 * <p>Connections run on Netty's native epoll transport where it is available (Linux x86_64), as
 * grpc-java's do by default, and on NIO elsewhere. Set the system property
 * {@code switchboard.transport.nio=true} (for example {@code -Dswitchboard.transport.nio=true}) to
 * use NIO anyway; it is read when the event loops shared by the process's channels are created.
 * Their threads are named {@code switchboard-epoll-*} or {@code switchboard-nio-*}.
 *
 * <p>Not thread-safe: configure it on one thread. {@link #build()} may be called more than once;
 * each channel is independent.
 *
 * @since 0.1
 */
public final class ChannelBuilder {
  /** The default limit of a received message: 4 MiB. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** The default {@code user-agent}. */
  public static final String DEFAULT_USER_AGENT = "switchboard-java/0.1";

  private final String target;
  private String defaultScheme;
  private String defaultLoadBalancingPolicy = "pick_first";
  private String defaultServiceConfigJson;
  private boolean ignoreResolverServiceConfig;
  private PluginRegistry pluginRegistry;
  private final Map<String, ResolverProvider> resolverProviders = new LinkedHashMap<>();
  private final Map<String, BalancerProvider<?>> balancerProviders = new LinkedHashMap<>();
  private final List<ClientInterceptor> interceptors = new ArrayList<>();
  private Executor executor;
  private String userAgent = DEFAULT_USER_AGENT;
  private String authorityOverride;
  private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
  private ScheduledExecutorService scheduler;
  private Deadline.Ticker ticker = Deadline.Ticker.system();
  private ClientTransportFactory transportFactory;
  private final NettyTransportSettings.Builder transportSettings = NettyTransportSettings.newBuilder();
  private boolean plaintext;
  private final PluginOptions.Builder resolverOptions = PluginOptions.newBuilder();
  private final PluginOptions.Builder balancerOptions = PluginOptions.newBuilder();

  static {
    // Benchmarks on the class path reach transportFactory(…) through the internal package.
    TransportFactoryOverride.register(ChannelBuilder::transportFactory);
  }

  private ChannelBuilder(String target) {
    this.target = target;
  }

  /** Returns a builder for {@code target} ({@code dns:///host:port}, {@code host:port}, …). */
  public static ChannelBuilder forTarget(String target) {
    return new ChannelBuilder(requireNonNull(target, "target"));
  }

  /**
   * Sets the scheme of targets written without one. Default: {@code dns} if the registry has a
   * {@code dns} resolver, else {@code passthrough}.
   */
  public ChannelBuilder defaultScheme(String scheme) {
    this.defaultScheme = requireNonNull(scheme, "scheme");
    return this;
  }

  /**
   * Sets the policy used when the service config selects none. Default: {@code pick_first}. An
   * unknown name fails {@link #build()}.
   */
  public ChannelBuilder defaultLoadBalancingPolicy(String policy) {
    this.defaultLoadBalancingPolicy = requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Sets the service config (gRPC's JSON form) used when the resolver provides none, or an invalid
   * one before any valid one. Default: none (an empty config). Invalid JSON fails {@link #build()}.
   */
  public ChannelBuilder defaultServiceConfig(String json) {
    this.defaultServiceConfigJson = requireNonNull(json, "json");
    return this;
  }

  /** Ignores service configs from the resolver and uses the default one. Default: not ignored. */
  public ChannelBuilder ignoreResolverServiceConfig() {
    this.ignoreResolverServiceConfig = true;
    return this;
  }

  /**
   * Sets an option for the channel's resolvers (grpc-java's {@code setNameResolverArg}): the
   * resolver reads it from its {@code ResolverArgs}; resolvers of other schemes ignore it. Setting
   * an option again replaces its value. Default: none set (each option reads as its default).
   */
  public <T> ChannelBuilder resolverOption(PluginOption<T> option, T value) {
    resolverOptions.set(option, value);
    return this;
  }

  /**
   * Sets an option for the channel's balancers: the balancer reads it from its {@code
   * BalancerArgs}. Setting an option again replaces its value. Default: none set.
   */
  public <T> ChannelBuilder balancerOption(PluginOption<T> option, T value) {
    balancerOptions.set(option, value);
    return this;
  }

  /** Sets every resolver option set in {@code options} (replacing the values of those). */
  public ChannelBuilder resolverOptions(PluginOptions options) {
    resolverOptions.setAll(requireNonNull(options, "options"));
    return this;
  }

  /** Sets every balancer option set in {@code options} (replacing the values of those). */
  public ChannelBuilder balancerOptions(PluginOptions options) {
    balancerOptions.setAll(requireNonNull(options, "options"));
    return this;
  }

  /** Sets where resolvers and balancers are found. Default: {@link PluginRegistry#loadDefault()}. */
  public ChannelBuilder pluginRegistry(PluginRegistry registry) {
    this.pluginRegistry = requireNonNull(registry, "registry");
    return this;
  }

  /** Adds a resolver provider that takes precedence over the registry's for its scheme. */
  public ChannelBuilder resolverProvider(ResolverProvider provider) {
    requireNonNull(provider, "provider");
    resolverProviders.put(provider.scheme(), provider);
    return this;
  }

  /** Adds a balancer provider that takes precedence over the registry's for its policy. */
  public ChannelBuilder balancerProvider(BalancerProvider<?> provider) {
    requireNonNull(provider, "provider");
    balancerProviders.put(provider.policyName(), provider);
    return this;
  }

  /**
   * Adds interceptors. The first given sees each call first; interceptors of a later
   * {@code intercept} call come after those of an earlier one. Default: none.
   */
  public ChannelBuilder intercept(ClientInterceptor... interceptors) {
    for (ClientInterceptor interceptor : requireNonNull(interceptors, "interceptors")) {
      this.interceptors.add(requireNonNull(interceptor, "interceptor"));
    }
    return this;
  }

  /**
   * Sets the executor of call listener callbacks (calls may override it with
   * {@code CallOptions.withExecutor}). The channel does not shut it down. Default: a shared
   * {@link ForkJoinPool} (FIFO mode, daemon workers, one per processor); callbacks that block for
   * long, other than through {@link ForkJoinPool.ManagedBlocker} (as {@code CompletableFuture.get}
   * does), belong on an executor of their own.
   */
  public ChannelBuilder executor(Executor executor) {
    this.executor = requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Runs call listener callbacks on the thread that delivers the event (a transport thread): the
   * fastest, for listeners that never block. Default: the shared pool.
   */
  public ChannelBuilder directExecutor() {
    this.executor = DirectExecutor.INSTANCE;
    return this;
  }

  /**
   * Sets the {@code :authority} of the channel's calls instead of the one derived from the target,
   * and so the name TLS verifies the server's certificate against (for a server reached by address
   * whose certificate names a host). A resolver's per-address override and
   * {@code CallOptions.withAuthority} still win for their addresses and calls. Default: the target's
   * endpoint.
   */
  public ChannelBuilder overrideAuthority(String authority) {
    requireNonNull(authority, "authority");
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("authority: '' (expected: host or host:port)");
    }
    this.authorityOverride = authority;
    return this;
  }

  /** Sets the {@code user-agent}. Default: {@value #DEFAULT_USER_AGENT}. */
  public ChannelBuilder userAgent(String userAgent) {
    this.userAgent = requireNonNull(userAgent, "userAgent");
    return this;
  }

  /** Sets the default limit of a received message. Default: 4 MiB. */
  public ChannelBuilder maxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    this.maxInboundMessageSize = bytes;
    transportSettings.maxInboundMessageSize(bytes);
    return this;
  }

  /**
   * Uses plaintext HTTP/2 (h2c with prior knowledge). Default: TLS. Nothing a resolver returns can
   * change this choice or turn certificate verification off.
   */
  public ChannelBuilder usePlaintext() {
    transportSettings.usePlaintext();
    plaintext = true;
    return this;
  }

  /** Uses TLS with ALPN {@code h2} and hostname verification against the authority. The default. */
  public ChannelBuilder useTransportSecurity() {
    transportSettings.useTransportSecurity();
    plaintext = false;
    return this;
  }

  /** Trusts the CA certificates of a PEM file instead of the JDK's trust store. Default: the JDK's. */
  public ChannelBuilder trustRoots(Path pemFile) {
    transportSettings.trustRoots(pemFile);
    return this;
  }

  /** Trusts the CA certificates of a PEM stream, read now and not closed. Default: the JDK's. */
  public ChannelBuilder trustRoots(InputStream pem) {
    transportSettings.trustRoots(pem);
    return this;
  }

  /**
   * Presents a client certificate chain and its PKCS#8 private key (PEM files) for mutual TLS.
   * Default: none.
   */
  public ChannelBuilder clientCertificate(Path certChainPem, Path privateKeyPem) {
    transportSettings.clientCertificate(certChainPem, privateKeyPem);
    return this;
  }

  /**
   * Presents a client certificate chain and its PKCS#8 private key (PEM streams, read now and not
   * closed) for mutual TLS. Default: none.
   */
  public ChannelBuilder clientCertificate(InputStream certChainPem, InputStream privateKeyPem) {
    transportSettings.clientCertificate(certChainPem, privateKeyPem);
    return this;
  }

  /**
   * Fixes the HTTP/2 flow-control window of each stream and connection, which turns its tuning off
   * (as grpc-java's {@code flowControlWindow}). Default: 1 MiB at first, then grown towards the
   * link's bandwidth-delay product (measured with PINGs while data arrives) up to 8 MiB, as
   * grpc-java and grpc-go do.
   */
  public ChannelBuilder flowControlWindow(int bytes) {
    transportSettings.flowControlWindow(bytes);
    return this;
  }

  /** Sets the largest header list accepted from servers. Default: 8 KiB. */
  public ChannelBuilder maxHeaderListSize(int bytes) {
    transportSettings.maxHeaderListSize(bytes);
    return this;
  }

  /** Sends a keepalive PING after {@code time} without reads. Default: off. */
  public ChannelBuilder keepAliveTime(Duration time) {
    transportSettings.keepAliveTime(time);
    return this;
  }

  /** Closes a connection whose keepalive PING is unanswered after {@code timeout}. Default: 20 s. */
  public ChannelBuilder keepAliveTimeout(Duration timeout) {
    transportSettings.keepAliveTimeout(timeout);
    return this;
  }

  /** Sends keepalive PINGs also when no call is in flight. Default: false. */
  public ChannelBuilder keepAliveWithoutCalls(boolean enabled) {
    transportSettings.keepAliveWithoutCalls(enabled);
    return this;
  }

  /**
   * Sets the timer for deadlines, backoffs and resolvers; the channel does not shut it down. Tests
   * give a manual one together with its {@link #ticker}. Default: the transport's timer.
   */
  public ChannelBuilder scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = requireNonNull(scheduler, "scheduler");
    return this;
  }

  /** Sets the clock that goes with the {@link #scheduler}. Default: {@link System#nanoTime()}. */
  public ChannelBuilder ticker(Deadline.Ticker ticker) {
    this.ticker = requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Replaces the HTTP/2 transport (tests use an in-memory one); the channel closes it when it
   * terminates. Default: Netty with this builder's transport settings.
   */
  ChannelBuilder transportFactory(ClientTransportFactory factory) {
    this.transportFactory = requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Returns a new channel, IDLE until its first call.
   *
   * @throws IllegalArgumentException if the target is malformed, its scheme has no resolver, the
   *     default policy has no balancer, or the default service config is invalid; the message names
   *     the culprit and what is available
   */
  public ManagedChannel build() {
    PluginRegistry base = pluginRegistry != null ? pluginRegistry : PluginRegistry.loadDefault();
    PluginRegistry registry = withExplicitProviders(base);
    Function<String, Optional<ResolverProvider>> findResolver = registry::resolverProvider;

    String scheme = defaultScheme;
    if (scheme == null) {
      scheme = findResolver.apply("dns").isPresent() ? "dns" : "passthrough";
    }
    Set<String> schemes = registry.schemes();
    TargetResolution resolution = TargetResolution.of(target, scheme, findResolver, () -> schemes);
    Target parsed = resolution.target();
    ResolverProvider resolver = resolution.provider();

    Set<String> policies = registry.policies();
    BalancerProvider<?> defaultProvider = registry.balancerProvider(defaultLoadBalancingPolicy)
        .orElseThrow(() -> new IllegalArgumentException(
            "default load balancing policy " + ErrorText.quote(defaultLoadBalancingPolicy)
                + " has no balancer (available: " + policies + ")"));
    // A policy the service config does not choose gets the config of {}.
    ConfigOrError<ChildPolicy<?>> defaultPolicy =
        registry.parsePolicy(defaultProvider, Map.of(), defaultLoadBalancingPolicy);
    if (!defaultPolicy.isOk()) {
      throw new IllegalArgumentException("default load balancing policy " + ErrorText.quote(defaultLoadBalancingPolicy)
          + " takes no empty config: " + defaultPolicy.status().description().orElse(""));
    }

    ServiceConfigParser parser = new ServiceConfigParser(registry);
    ParsedServiceConfig defaultConfig = null;
    if (defaultServiceConfigJson != null) {
      ConfigOrError<ServiceConfig> parsedConfig = parser.parse(defaultServiceConfigJson);
      if (!parsedConfig.isOk()) {
        throw new IllegalArgumentException(
            "default service config is invalid: "
                + parsedConfig.status().description().orElse(parsedConfig.status().code().name()));
      }
      defaultConfig = (ParsedServiceConfig) parsedConfig.config().orElseThrow();
    }

    ClientTransportFactory transport =
        transportFactory != null ? transportFactory : new NettyTransportFactory(transportSettings.build());
    return ManagedChannelImpl.create(
        new ChannelSettings(
            parsed,
            authorityOverride != null ? authorityOverride : ChannelSettings.authorityOf(parsed),
            resolver,
            findResolver,
            scheme,
            schemes,
            registry,
            defaultPolicy.config().orElseThrow(),
            defaultConfig,
            ignoreResolverServiceConfig,
            parser,
            interceptors,
            executor != null ? executor : CallbackPool.INSTANCE,
            OffloadPool.INSTANCE,
            userAgent,
            maxInboundMessageSize,
            scheduler != null ? scheduler : transport.scheduledExecutor(),
            ticker,
            transport,
            true,
            plaintext ? 80 : 443,
            resolverOptions.build(),
            balancerOptions.build()));
  }

  /** Returns {@code base} with the providers given to this builder, which win over discovered ones. */
  private PluginRegistry withExplicitProviders(PluginRegistry base) {
    if (resolverProviders.isEmpty() && balancerProviders.isEmpty()) {
      return base;
    }
    PluginRegistry.Builder b = base.toBuilder();
    resolverProviders.values().forEach(b::addResolverProvider);
    balancerProviders.values().forEach(b::addBalancerProvider);
    return b.build();
  }

  /**
   * The default executor of call callbacks: one work-stealing pool in FIFO (async) mode, shared by
   * every channel. Against a cached pool (grpc-java's default) it doubled the calls per second of
   * 64 calls in flight and cut the client's CPU per call from about 25 to 11 µs on two cores: idle
   * workers spin briefly before parking, and a task queued by a worker stays on it.
   * Blocking in a callback holds a worker; {@code CompletableFuture.get} and other
   * {@link ForkJoinPool.ManagedBlocker}s make the pool add one meanwhile.
   */
  private static final class CallbackPool {
    static final ForkJoinPool INSTANCE = new ForkJoinPool(
        Runtime.getRuntime().availableProcessors(),
        new ForkJoinPool.ForkJoinWorkerThreadFactory() {
          private final AtomicInteger count = new AtomicInteger();

          @Override
          public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            ForkJoinWorkerThread thread = new ForkJoinWorkerThread(pool) {};
            thread.setName("switchboard-callback-" + count.incrementAndGet());
            return thread;
          }
        },
        null,
        true);

    private CallbackPool() {}
  }

  /** The executor of resolvers' blocking work: one cached pool of daemon threads, shared. */
  private static final class OffloadPool {
    static final ExecutorService INSTANCE = Executors.newCachedThreadPool(
        new java.util.concurrent.ThreadFactory() {
          private final AtomicInteger count = new AtomicInteger();

          @Override
          public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "switchboard-offload-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          }
        });

    private OffloadPool() {}
  }

  @Override
  public String toString() {
    return "ChannelBuilder{target=" + target + ", interceptors=" + Arrays.toString(interceptors.toArray()) + "}";
  }
}
