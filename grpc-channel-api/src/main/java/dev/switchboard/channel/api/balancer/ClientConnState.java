package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import java.util.List;

/**
 * What the channel gives a balancer on each resolver update: the endpoints (and their addresses,
 * flattened), the balancer's parsed config, and the resolver's attributes.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @param <C> the type of the policy's parsed config
 * @since 0.1
 */
public final class ClientConnState<C> {
  private final List<Endpoint> endpoints;
  private final List<Address> addresses;
  private final C balancerConfig;
  private final Attributes attributes;

  private ClientConnState(Builder<C> b) {
    this.endpoints = b.endpoints;
    this.addresses = Endpoint.flatten(endpoints);
    this.balancerConfig = b.balancerConfig;
    this.attributes = b.attributes;
  }

  /** Returns a new builder of a state with {@code balancerConfig}. */
  public static <C> Builder<C> newBuilder(C balancerConfig) {
    return new Builder<>(balancerConfig);
  }

  /** Returns a builder that starts with these values. */
  public Builder<C> toBuilder() {
    return new Builder<>(balancerConfig).endpoints(endpoints).attributes(attributes);
  }

  /**
   * Returns this state with another config: what a parent policy hands its child, whose config is
   * of the child's type.
   */
  public <D> ClientConnState<D> withBalancerConfig(D config) {
    return new Builder<>(config).endpoints(endpoints).attributes(attributes).build();
  }

  /** Returns the endpoints, possibly none. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** Returns the addresses of every endpoint, in order, each once; possibly empty. */
  public List<Address> addresses() {
    return addresses;
  }

  /**
   * Returns the config that this balancer's provider parsed with {@link BalancerProvider#parseConfig}:
   * from the service config that selected the policy, or from {@code {}} for the channel's default
   * policy.
   */
  public C balancerConfig() {
    return balancerConfig;
  }

  /** Returns the resolver's attributes. */
  public Attributes attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return "ClientConnState{endpoints=" + endpoints + ", config=" + balancerConfig
        + ", attributes=" + attributes + "}";
  }

  /**
   * Builds {@link ClientConnState}. Not thread-safe.
   *
   * @param <C> the type of the policy's parsed config
   * @since 0.1
   */
  public static final class Builder<C> {
    private final C balancerConfig;
    private List<Endpoint> endpoints = List.of();
    private Attributes attributes = Attributes.EMPTY;

    private Builder(C balancerConfig) {
      this.balancerConfig = requireNonNull(balancerConfig, "balancerConfig");
    }

    /** Sets the endpoints. Default: none. */
    public Builder<C> endpoints(List<Endpoint> endpoints) {
      this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
      return this;
    }

    /** Sets the endpoints to one per address, in order. Default: none. */
    public Builder<C> addresses(List<Address> addresses) {
      return endpoints(Endpoint.eachOf(requireNonNull(addresses, "addresses")));
    }

    /** Sets the attributes. Default: empty. */
    public Builder<C> attributes(Attributes attributes) {
      this.attributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /** Returns the state. */
    public ClientConnState<C> build() {
      return new ClientConnState<>(this);
    }
  }
}
