package dev.switchboard.channel.core;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The resolvers and balancers a channel can use, keyed by scheme and by policy name.
 *
 * <p>Providers come from three places, in this order of precedence:
 *
 * <ol>
 *   <li>providers given to the builder explicitly ({@link Builder#addResolverProvider}), which win
 *       over any discovered provider of the same name;
 *   <li>{@link ServiceLoader} in the boot layer and on the class path ({@link #loadDefault()});
 *   <li>{@code ServiceLoader} in every extra {@link ModuleLayer} added with {@link
 *       Builder#addLayer} (a plugin folder), keeping only providers whose module is in that layer
 *       (a layer's loader also sees its parents, which are already covered).
 * </ol>
 *
 * <p>Among discovered providers of one name, those whose {@code isAvailable()} is false are skipped
 * and the highest {@code priority()} wins; on a tie the first found wins. A provider whose
 * {@code isAvailable()} or {@code scheme()} throws is logged and skipped.
 *
 * <p>As a {@link BalancerRegistry} it is what a channel's balancers see of it: parent policies look
 * their children up here.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class PluginRegistry implements BalancerRegistry {
  private static final System.Logger logger = System.getLogger(PluginRegistry.class.getName());

  private final List<Candidate<ResolverProvider>> resolverCandidates;
  private final List<Candidate<BalancerProvider<?>>> balancerCandidates;
  private final Map<String, ResolverProvider> resolvers;
  private final Map<String, BalancerProvider<?>> balancers;
  private final List<ModuleLayer> layers;

  private record Candidate<P>(
      P provider, String name, int priority, boolean available, String origin, boolean explicit) {}

  private PluginRegistry(Builder b) {
    this.layers = List.copyOf(b.layers);
    this.resolverCandidates = List.copyOf(b.resolverCandidates);
    this.balancerCandidates = List.copyOf(b.balancerCandidates);
    this.resolvers = select(resolverCandidates);
    this.balancers = select(balancerCandidates);
  }

  /** Returns a registry of the providers in the boot layer and on the class path. */
  public static PluginRegistry loadDefault() {
    return newBuilder().build();
  }

  /** Returns a builder that starts with the boot layer and the class path. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns a builder that starts with this registry's providers and layers. */
  public Builder toBuilder() {
    Builder b = new Builder(false);
    b.layers.addAll(layers);
    b.resolverCandidates.addAll(resolverCandidates);
    b.balancerCandidates.addAll(balancerCandidates);
    return b;
  }

  /** Returns the provider used for {@code scheme}, if an available one exists. */
  public Optional<ResolverProvider> resolverProvider(String scheme) {
    return Optional.ofNullable(resolvers.get(requireNonNull(scheme, "scheme")));
  }

  /** Returns the provider used for {@code policyName}, if an available one exists. */
  public Optional<BalancerProvider<?>> balancerProvider(String policyName) {
    return Optional.ofNullable(balancers.get(requireNonNull(policyName, "policyName")));
  }

  /** Returns the provider used for {@code policyName}, as {@link #balancerProvider}. */
  @Override
  public Optional<BalancerProvider<?>> provider(String policyName) {
    return balancerProvider(policyName);
  }

  /** Returns the schemes that have an available provider, sorted. */
  public Set<String> schemes() {
    return Collections.unmodifiableSet(new TreeSet<>(resolvers.keySet()));
  }

  /** Returns the policy names that have an available provider, sorted. */
  @Override
  public Set<String> policies() {
    return Collections.unmodifiableSet(new TreeSet<>(balancers.keySet()));
  }

  /** Returns every resolver provider found, available or not, sorted by scheme then priority. */
  public List<PluginInfo> resolvers() {
    return describe(PluginInfo.Kind.RESOLVER, resolverCandidates, resolvers);
  }

  /** Returns every balancer provider found, available or not, sorted by policy then priority. */
  public List<PluginInfo> balancers() {
    return describe(PluginInfo.Kind.BALANCER, balancerCandidates, balancers);
  }

  private static <P> Map<String, P> select(List<Candidate<P>> candidates) {
    Map<String, Candidate<P>> chosen = new LinkedHashMap<>();
    for (Candidate<P> c : candidates) {
      if (!c.available()) {
        continue;
      }
      Candidate<P> current = chosen.get(c.name());
      if (current == null || wins(c, current)) {
        chosen.put(c.name(), c);
      }
    }
    Map<String, P> out = new LinkedHashMap<>();
    chosen.forEach((name, c) -> out.put(name, c.provider()));
    return Collections.unmodifiableMap(out);
  }

  private static boolean wins(Candidate<?> challenger, Candidate<?> current) {
    if (challenger.explicit() != current.explicit()) {
      return challenger.explicit();
    }
    // Among explicit providers the last one given wins; among discovered ones the highest priority,
    // the first found on a tie.
    return challenger.explicit() || challenger.priority() > current.priority();
  }

  private static <P> List<PluginInfo> describe(
      PluginInfo.Kind kind, List<Candidate<P>> candidates, Map<String, P> selected) {
    List<PluginInfo> out = new ArrayList<>();
    for (Candidate<P> c : candidates) {
      Module m = c.provider().getClass().getModule();
      String version = m.getDescriptor() == null
          ? ""
          : m.getDescriptor().rawVersion().orElse("");
      out.add(new PluginInfo(kind, c.name(), c.provider().getClass().getName(),
          m.isNamed() ? m.getName() : "unnamed", version, c.priority(), c.available(), c.origin(),
          selected.get(c.name()) == c.provider()));
    }
    out.sort(Comparator.comparing(PluginInfo::name)
        .thenComparing(Comparator.comparingInt(PluginInfo::priority).reversed()));
    return Collections.unmodifiableList(out);
  }

  /**
   * Builds a {@link PluginRegistry}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final List<ModuleLayer> layers = new ArrayList<>();
    private final List<Candidate<ResolverProvider>> resolverCandidates = new ArrayList<>();
    private final List<Candidate<BalancerProvider<?>>> balancerCandidates = new ArrayList<>();

    private Builder() {
      this(true);
    }

    private Builder(boolean loadBootLayer) {
      if (loadBootLayer) {
        // Our own loader sees the boot layer's modules and the class path, without the thread
        // context class loader.
        ClassLoader loader = PluginRegistry.class.getClassLoader();
        for (ResolverProvider p : ServiceLoader.load(ResolverProvider.class, loader)) {
          addResolver(p, bootOrigin(p), false);
        }
        for (BalancerProvider<?> p : ServiceLoader.load(BalancerProvider.class, loader)) {
          addBalancer(p, bootOrigin(p), false);
        }
      }
    }

    private static String bootOrigin(Object provider) {
      return provider.getClass().getModule().isNamed() ? "boot layer" : "class path";
    }

    /**
     * Adds the providers of the modules in {@code layer} (not of its parents). Layers are numbered
     * in the order added.
     */
    public Builder addLayer(ModuleLayer layer) {
      requireNonNull(layer, "layer");
      layers.add(layer);
      String origin = "plugin layer " + layers.size();
      for (ResolverProvider p : ServiceLoader.load(layer, ResolverProvider.class)) {
        if (p.getClass().getModule().getLayer() == layer) {
          addResolver(p, origin, false);
        }
      }
      for (BalancerProvider<?> p : ServiceLoader.load(layer, BalancerProvider.class)) {
        if (p.getClass().getModule().getLayer() == layer) {
          addBalancer(p, origin, false);
        }
      }
      return this;
    }

    /** Adds a resolver provider that wins over discovered providers of its scheme. */
    public Builder addResolverProvider(ResolverProvider provider) {
      addResolver(requireNonNull(provider, "provider"), "builder", true);
      return this;
    }

    /** Adds a balancer provider that wins over discovered providers of its policy. */
    public Builder addBalancerProvider(BalancerProvider<?> provider) {
      addBalancer(requireNonNull(provider, "provider"), "builder", true);
      return this;
    }

    /** Returns the registry. */
    public PluginRegistry build() {
      return new PluginRegistry(this);
    }

    private void addResolver(ResolverProvider p, String origin, boolean explicit) {
      candidate(p, ResolverProvider::scheme, ResolverProvider::priority, ResolverProvider::isAvailable,
          origin, explicit).ifPresent(resolverCandidates::add);
    }

    private void addBalancer(BalancerProvider<?> p, String origin, boolean explicit) {
      candidate(p, (BalancerProvider<?> b) -> b.policyName(), (BalancerProvider<?> b) -> b.priority(),
          (BalancerProvider<?> b) -> b.isAvailable(), origin, explicit).ifPresent(balancerCandidates::add);
    }

    private static <P> Optional<Candidate<P>> candidate(
        P provider,
        Function<P, String> name,
        ToIntFunction<P> priority,
        Predicate<P> available,
        String origin,
        boolean explicit) {
      try {
        String n = requireNonNull(name.apply(provider), "name");
        int prio = priority.applyAsInt(provider);
        if (prio < 0 || prio > 10) {
          logger.log(Level.WARNING, "ignoring provider {0}: priority {1} (expected: 0-10)",
              provider.getClass().getName(), prio);
          return Optional.empty();
        }
        return Optional.of(new Candidate<>(provider, n, prio, available.test(provider), origin, explicit));
      } catch (RuntimeException e) {
        logger.log(Level.WARNING, "ignoring provider " + provider.getClass().getName()
            + ": it threw while describing itself", e);
        return Optional.empty();
      }
    }
  }
}
