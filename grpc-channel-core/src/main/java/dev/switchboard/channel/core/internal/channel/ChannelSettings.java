package dev.switchboard.channel.core.internal.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.internal.config.ParsedServiceConfig;
import dev.switchboard.channel.core.internal.config.ServiceConfigParser;
import dev.switchboard.channel.core.internal.transport.ClientTransportFactory;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Everything a channel is built from, resolved and checked by the builder: the parsed target and
 * its resolver provider, how to find balancer providers, the default policy and service config,
 * executors, clock and transport.
 *
 * <p>Immutable.
 *
 * @param target the parsed target
 * @param authority the default {@code :authority}
 * @param resolverProvider the provider of the target's scheme
 * @param resolverProviders finds the provider of a scheme (builder overrides first), for child
 *     channels to other targets
 * @param defaultScheme the scheme given to targets without one
 * @param schemes the schemes that have a resolver, for error messages
 * @param balancers the policies a channel's balancers can run (builder overrides first)
 * @param defaultPolicy the policy used when the service config names none, with its config parsed
 *     from {@code {}}
 * @param defaultServiceConfig the config used when the resolver gives none, or null
 * @param ignoreResolverServiceConfig whether the resolver's configs are ignored
 * @param serviceConfigParser parses configs for resolvers
 * @param interceptors the interceptors, first given first
 * @param executor the default executor for call callbacks and channel notifications
 * @param offloadExecutor the executor for blocking work of resolvers (never a direct executor)
 * @param userAgent the {@code user-agent}
 * @param maxInboundMessageSize the default limit of a received message
 * @param scheduler the timer
 * @param ticker the clock that goes with the timer
 * @param transportFactory creates connections
 * @param ownsTransportFactory whether the channel closes the factory when it terminates
 * @param defaultPort the port of targets that name none: 443 with TLS, 80 in plain text
 * @param resolverOptions the resolver options the application set
 * @param balancerOptions the balancer options the application set
 */
public record ChannelSettings(
    Target target,
    String authority,
    ResolverProvider resolverProvider,
    Function<String, Optional<ResolverProvider>> resolverProviders,
    String defaultScheme,
    Set<String> schemes,
    BalancerRegistry balancers,
    ChildPolicy<?> defaultPolicy,
    ParsedServiceConfig defaultServiceConfig,
    boolean ignoreResolverServiceConfig,
    ServiceConfigParser serviceConfigParser,
    List<ClientInterceptor> interceptors,
    Executor executor,
    Executor offloadExecutor,
    String userAgent,
    int maxInboundMessageSize,
    ScheduledExecutorService scheduler,
    Deadline.Ticker ticker,
    ClientTransportFactory transportFactory,
    boolean ownsTransportFactory,
    int defaultPort,
    PluginOptions resolverOptions,
    PluginOptions balancerOptions) {

  /** Checks the components; {@code defaultServiceConfig} alone may be null. */
  public ChannelSettings {
    requireNonNull(target, "target");
    requireNonNull(authority, "authority");
    requireNonNull(resolverProvider, "resolverProvider");
    requireNonNull(resolverProviders, "resolverProviders");
    requireNonNull(defaultScheme, "defaultScheme");
    schemes = Set.copyOf(schemes);
    requireNonNull(balancers, "balancers");
    requireNonNull(defaultPolicy, "defaultPolicy");
    requireNonNull(serviceConfigParser, "serviceConfigParser");
    interceptors = List.copyOf(interceptors);
    requireNonNull(executor, "executor");
    requireNonNull(offloadExecutor, "offloadExecutor");
    requireNonNull(userAgent, "userAgent");
    requireNonNull(scheduler, "scheduler");
    requireNonNull(ticker, "ticker");
    requireNonNull(transportFactory, "transportFactory");
    requireNonNull(resolverOptions, "resolverOptions");
    requireNonNull(balancerOptions, "balancerOptions");
  }

  /**
   * Returns the authority a channel sends by default for {@code target}: the endpoint, or its last
   * path segment when it is a path (as grpc-go does), and {@code localhost} for {@code unix}.
   */
  public static String authorityOf(Target target) {
    if (target.scheme().equals("unix") || target.scheme().equals("unix-abstract")) {
      return "localhost";
    }
    String endpoint = target.endpoint();
    int slash = endpoint.lastIndexOf('/');
    return slash >= 0 ? endpoint.substring(slash + 1) : endpoint;
  }

  /**
   * Returns the settings of a child channel (an out-of-band channel of a balancer): same executors,
   * clock, parser and transport factory, which the child does not own; no interceptors;
   * {@code defaultPolicy} as its default policy; no default service config, and the resolver's
   * configs taken only when {@code useResolverConfig}.
   */
  ChannelSettings forChild(
      Target childTarget,
      String childAuthority,
      ResolverProvider childResolver,
      ChildPolicy<?> defaultPolicy,
      boolean useResolverConfig) {
    return new ChannelSettings(
        childTarget,
        childAuthority,
        childResolver,
        resolverProviders,
        defaultScheme,
        schemes,
        balancers,
        defaultPolicy,
        null,
        !useResolverConfig,
        serviceConfigParser,
        List.of(),
        executor,
        offloadExecutor,
        userAgent,
        maxInboundMessageSize,
        scheduler,
        ticker,
        transportFactory,
        false,
        defaultPort,
        resolverOptions,
        balancerOptions);
  }
}
