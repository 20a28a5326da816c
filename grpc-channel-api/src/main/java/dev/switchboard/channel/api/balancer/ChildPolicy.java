package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/**
 * A load-balancing policy chosen for a child, with its parsed config: what
 * {@link BalancerRegistry#parsePolicyList} selects from a {@code loadBalancingConfig}-style list
 * (grpclb's {@code childPolicy}), and what a {@link GracefulSwitchBalancer} runs.
 *
 * <p>Immutable. Equal when the provider is the same instance and the configs are equal.
 *
 * @param <C> the type of the policy's parsed config
 * @since 0.1
 */
public final class ChildPolicy<C> {
  private final BalancerProvider<C> provider;
  private final C config;

  private ChildPolicy(BalancerProvider<C> provider, C config) {
    this.provider = requireNonNull(provider, "provider");
    this.config = requireNonNull(config, "config");
  }

  /** Returns {@code provider}'s policy with {@code config}, which {@code provider} parsed. */
  public static <C> ChildPolicy<C> of(BalancerProvider<C> provider, C config) {
    return new ChildPolicy<>(provider, config);
  }

  /** Returns the policy's provider. */
  public BalancerProvider<C> provider() {
    return provider;
  }

  /** Returns the parsed config. */
  public C config() {
    return config;
  }

  /** Returns the policy's name. */
  public String policyName() {
    return provider.policyName();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChildPolicy)) {
      return false;
    }
    ChildPolicy<?> other = (ChildPolicy<?>) o;
    return provider == other.provider && config.equals(other.config);
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(provider), config);
  }

  @Override
  public String toString() {
    return provider.policyName() + "{" + config + "}";
  }
}
