package dev.switchboard.channel.core;

// STUB until main lands: delete before merging main.
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** STUB. Thread-safe. */
public final class PluginRegistry {
  private final Map<String, ResolverProvider> resolvers;
  private final Map<String, BalancerProvider> balancers;

  private PluginRegistry(Builder b) {
    this.resolvers = Map.copyOf(b.resolvers);
    this.balancers = Map.copyOf(b.balancers);
  }

  /** Stub. */
  public static PluginRegistry loadDefault() {
    Builder b = newBuilder();
    ServiceLoader.load(PluginRegistry.class.getModule().getLayer() == null
        ? ModuleLayer.boot() : PluginRegistry.class.getModule().getLayer(), ResolverProvider.class)
        .forEach(b::addResolverProvider);
    ServiceLoader.load(PluginRegistry.class.getModule().getLayer() == null
        ? ModuleLayer.boot() : PluginRegistry.class.getModule().getLayer(), BalancerProvider.class)
        .forEach(b::addBalancerProvider);
    if (PluginRegistry.class.getModule().getLayer() == null) {
      ServiceLoader.load(ResolverProvider.class, PluginRegistry.class.getClassLoader()).forEach(b::addResolverProvider);
      ServiceLoader.load(BalancerProvider.class, PluginRegistry.class.getClassLoader()).forEach(b::addBalancerProvider);
    }
    return b.build();
  }

  /** Stub. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Stub. */
  public Optional<ResolverProvider> resolverProvider(String scheme) {
    return Optional.ofNullable(resolvers.get(scheme));
  }

  /** Stub. */
  public Optional<BalancerProvider> balancerProvider(String policy) {
    return Optional.ofNullable(balancers.get(policy));
  }

  /** Stub. */
  public Set<String> schemes() {
    return resolvers.keySet();
  }

  /** Stub. */
  public Set<String> policies() {
    return balancers.keySet();
  }

  /** Stub. Not thread-safe. */
  public static final class Builder {
    private final Map<String, ResolverProvider> resolvers = new LinkedHashMap<>();
    private final Map<String, BalancerProvider> balancers = new LinkedHashMap<>();

    /** Stub. */
    public Builder addLayer(ModuleLayer layer) {
      ServiceLoader.load(layer, ResolverProvider.class).forEach(this::addResolverProvider);
      ServiceLoader.load(layer, BalancerProvider.class).forEach(this::addBalancerProvider);
      return this;
    }

    /** Stub. */
    public Builder addResolverProvider(ResolverProvider p) {
      resolvers.merge(p.scheme(), p, (a, c) -> c.priority() > a.priority() ? c : a);
      return this;
    }

    /** Stub. */
    public Builder addBalancerProvider(BalancerProvider p) {
      balancers.merge(p.policyName(), p, (a, c) -> c.priority() > a.priority() ? c : a);
      return this;
    }

    /** Stub. */
    public PluginRegistry build() {
      return new PluginRegistry(this);
    }
  }
}
