package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConfigOrError;
import java.util.List;
import java.util.Optional;

/**
 * What a resolver knows about its target: endpoints (servers, each with one or more addresses, gRFC
 * A61), an optional service config (or the error that stopped it from being parsed), and
 * attributes. A resolver that knows only addresses sets {@link Builder#addresses}: each address is
 * then an endpoint of its own.
 *
 * <p>An empty list is a valid state, not an error: the balancer decides what it means (pick_first
 * and round_robin reject it, which makes the channel re-resolve with backoff).
 *
 * <p>Immutable.
 *
 * @since 0.1
 */
public final class ResolverState {

  /**
   * The addresses of grpclb look-aside balancers (gRFC A5), set by resolvers that find them (the DNS
   * resolver's SRV lookup of {@code _grpclb._tcp.<host>}). Each address carries
   * {@link Address#AUTHORITY_OVERRIDE} with the balancer's host name.
   */
  public static final Attributes.Key<List<Address>> GRPCLB_BALANCER_ADDRESSES =
      Attributes.Key.create("switchboard.grpclb-balancer-addresses");

  private final List<Endpoint> endpoints;
  private final List<Address> addresses;
  private final ConfigOrError<ServiceConfig> serviceConfig;
  private final Attributes attributes;

  private ResolverState(Builder b) {
    this.endpoints = b.endpoints;
    this.addresses = Endpoint.flatten(endpoints);
    this.serviceConfig = b.serviceConfig;
    this.attributes = b.attributes;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns a builder that starts with this state's values. */
  public Builder toBuilder() {
    return new Builder().endpoints(endpoints).attributes(attributes).serviceConfig(serviceConfig);
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
   * Returns the service config from the resolver, or the error parsing it; empty when the resolver
   * does not provide configs (the channel then uses its default config).
   */
  public Optional<ConfigOrError<ServiceConfig>> serviceConfig() {
    return Optional.ofNullable(serviceConfig);
  }

  /** Returns the attributes. */
  public Attributes attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return "ResolverState{endpoints=" + endpoints + ", serviceConfig=" + serviceConfig
        + ", attributes=" + attributes + "}";
  }

  /**
   * Builds a {@link ResolverState}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private List<Endpoint> endpoints = List.of();
    private ConfigOrError<ServiceConfig> serviceConfig;
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

    /** Sets the parsed service config or its error. Default: not provided. */
    public Builder serviceConfig(ConfigOrError<ServiceConfig> serviceConfig) {
      this.serviceConfig = serviceConfig;
      return this;
    }

    /** Sets the attributes. Default: empty. */
    public Builder attributes(Attributes attributes) {
      this.attributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /** Returns the state. */
    public ResolverState build() {
      return new ResolverState(this);
    }
  }
}
