package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import java.util.List;
import java.util.Optional;

/**
 * What the channel gives a balancer on each resolver update: the endpoints (and their addresses,
 * flattened), the balancer's parsed config, and the resolver's attributes.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class ClientConnState {
  private final List<Endpoint> endpoints;
  private final List<Address> addresses;
  private final Object balancerConfig;
  private final Attributes attributes;

  private ClientConnState(Builder b) {
    this.endpoints = b.endpoints;
    this.addresses = Endpoint.flatten(endpoints);
    this.balancerConfig = b.balancerConfig;
    this.attributes = b.attributes;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns a builder that starts with these values. */
  public Builder toBuilder() {
    Builder b = new Builder().endpoints(endpoints).attributes(attributes);
    b.balancerConfig = balancerConfig;
    return b;
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
   * Returns the config that this balancer's provider parsed with
   * {@link BalancerProvider#parseConfig}, if the service config selected one.
   */
  public Optional<Object> balancerConfig() {
    return Optional.ofNullable(balancerConfig);
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
   * @since 0.1
   */
  public static final class Builder {
    private List<Endpoint> endpoints = List.of();
    private Object balancerConfig;
    private Attributes attributes = Attributes.EMPTY;

    private Builder() {}

    /** Sets the endpoints. Default: none. */
    public Builder endpoints(List<Endpoint> endpoints) {
      this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
      return this;
    }

    /** Sets the endpoints to one per address, in order. Default: none. */
    public Builder addresses(List<Address> addresses) {
      return endpoints(Endpoint.eachOf(requireNonNull(addresses, "addresses")));
    }

    /** Sets the parsed balancer config. Default: none. */
    public Builder balancerConfig(Object config) {
      this.balancerConfig = requireNonNull(config, "config");
      return this;
    }

    /** Sets the attributes. Default: empty. */
    public Builder attributes(Attributes attributes) {
      this.attributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /** Returns the state. */
    public ClientConnState build() {
      return new ClientConnState(this);
    }
  }
}
