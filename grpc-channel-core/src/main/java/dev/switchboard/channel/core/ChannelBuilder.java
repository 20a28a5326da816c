package dev.switchboard.channel.core;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.internal.channel.ChannelSettings;
import dev.switchboard.channel.core.internal.channel.ManagedChannelImpl;
import dev.switchboard.channel.core.internal.channel.TargetResolution;
import dev.switchboard.channel.core.internal.config.ParsedServiceConfig;
import dev.switchboard.channel.core.internal.config.ServiceConfigParser;
import dev.switchboard.channel.core.internal.transport.ClientTransportFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
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
  private final Map<String, BalancerProvider> balancerProviders = new LinkedHashMap<>();
  private final List<ClientInterceptor> interceptors = new ArrayList<>();
  private Executor executor;
  private String userAgent = DEFAULT_USER_AGENT;
  private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
  private ScheduledExecutorService scheduler;
  private Deadline.Ticker ticker = Deadline.Ticker.system();
  private ClientTransportFactory transportFactory;

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
  public ChannelBuilder balancerProvider(BalancerProvider provider) {
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
   * {@code CallOptions.withExecutor}). The channel does not shut it down. Default: a shared cached
   * pool of daemon threads.
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
    this.executor = Runnable::run;
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

  /** Sets the transport factory; the channel closes it when it terminates. For tests and wiring. */
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
   * @throws IllegalStateException if no transport is available
   */
  public ManagedChannel build() {
    PluginRegistry registry = pluginRegistry != null ? pluginRegistry : PluginRegistry.loadDefault();
    Map<String, ResolverProvider> resolvers = Map.copyOf(resolverProviders);
    Map<String, BalancerProvider> balancers = Map.copyOf(balancerProviders);
    java.util.function.Function<String, Optional<ResolverProvider>> findResolver =
        scheme -> Optional.ofNullable(resolvers.get(scheme)).or(() -> registry.resolverProvider(scheme));
    java.util.function.Function<String, Optional<BalancerProvider>> findBalancer =
        policy -> Optional.ofNullable(balancers.get(policy)).or(() -> registry.balancerProvider(policy));

    String scheme = defaultScheme;
    if (scheme == null) {
      scheme = findResolver.apply("dns").isPresent() ? "dns" : "passthrough";
    }
    TreeSet<String> schemes = new TreeSet<>(registry.schemes());
    schemes.addAll(resolvers.keySet());
    TargetResolution resolution = TargetResolution.of(target, scheme, findResolver, () -> schemes);
    Target parsed = resolution.target();
    ResolverProvider resolver = resolution.provider();

    TreeSet<String> policies = new TreeSet<>(registry.policies());
    policies.addAll(balancers.keySet());
    BalancerProvider defaultPolicy =
        findBalancer.apply(defaultLoadBalancingPolicy)
            .orElseThrow(
                () -> new IllegalArgumentException(
                    "default load balancing policy '" + defaultLoadBalancingPolicy
                        + "' has no balancer (available: " + policies + ")"));

    ServiceConfigParser parser = new ServiceConfigParser(mergedRegistry(registry, resolvers, balancers));
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

    if (transportFactory == null) {
      throw new IllegalStateException("no transport");
    }
    return ManagedChannelImpl.create(
        new ChannelSettings(
            parsed,
            ChannelSettings.authorityOf(parsed),
            resolver,
            findResolver,
            scheme,
            schemes,
            findBalancer,
            defaultPolicy,
            defaultConfig,
            ignoreResolverServiceConfig,
            parser,
            interceptors,
            executor != null ? executor : SharedExecutor.INSTANCE,
            SharedExecutor.INSTANCE,
            userAgent,
            maxInboundMessageSize,
            scheduler != null ? scheduler : transportFactory.scheduledExecutor(),
            ticker,
            transportFactory,
            true));
  }

  /** The registry the service config parser sees: the builder's providers win over the registry's. */
  private static PluginRegistry mergedRegistry(
      PluginRegistry registry,
      Map<String, ResolverProvider> resolvers,
      Map<String, BalancerProvider> balancers) {
    if (resolvers.isEmpty() && balancers.isEmpty()) {
      return registry;
    }
    PluginRegistry.Builder merged = PluginRegistry.newBuilder();
    for (String scheme : registry.schemes()) {
      if (!resolvers.containsKey(scheme)) {
        registry.resolverProvider(scheme).ifPresent(merged::addResolverProvider);
      }
    }
    for (String policy : registry.policies()) {
      if (!balancers.containsKey(policy)) {
        registry.balancerProvider(policy).ifPresent(merged::addBalancerProvider);
      }
    }
    resolvers.values().forEach(merged::addResolverProvider);
    balancers.values().forEach(merged::addBalancerProvider);
    return merged.build();
  }

  /** The default executor: one cached pool of daemon threads shared by every channel. */
  private static final class SharedExecutor {
    static final ExecutorService INSTANCE = Executors.newCachedThreadPool(
        new java.util.concurrent.ThreadFactory() {
          private final AtomicInteger count = new AtomicInteger();

          @Override
          public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "switchboard-executor-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          }
        });

    private SharedExecutor() {}
  }

  @Override
  public String toString() {
    return "ChannelBuilder{target=" + target + ", interceptors=" + Arrays.toString(interceptors.toArray()) + "}";
  }
}
