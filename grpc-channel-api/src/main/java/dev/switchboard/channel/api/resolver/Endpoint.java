package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import java.util.List;

/**
 * One server, reachable at one or more addresses (gRFC A61): a dual-stack host's IPv4 and IPv6
 * address are one endpoint. Balancers that spread calls over servers (round_robin) make one
 * subconn per endpoint, trying its addresses in order; pick_first flattens the endpoints into one
 * list of addresses.
 *
 * <p>Equality is the addresses' (in order); {@link #attributes()} are for the balancer only
 * (weight, locality) and not part of it, so a changed weight never churns a connection.
 *
 * <p>Immutable. A final class with factories and a builder, so that it can gain fields.
 *
 * @since 0.1
 */
public final class Endpoint {
  private final List<Address> addresses;
  private final Attributes attributes;

  private Endpoint(List<Address> addresses, Attributes attributes) {
    this.addresses = List.copyOf(requireNonNull(addresses, "addresses"));
    if (this.addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: [] (expected: at least one address)");
    }
    this.attributes = requireNonNull(attributes, "attributes");
  }

  /** Returns an endpoint of {@code addresses}, in order, without attributes. */
  public static Endpoint of(List<Address> addresses) {
    return new Endpoint(addresses, Attributes.EMPTY);
  }

  /** Returns an endpoint of {@code addresses}, in order, without attributes. */
  public static Endpoint of(Address... addresses) {
    return of(List.of(addresses));
  }

  /**
   * Returns the addresses of {@code endpoints} in one list, in order, each address once (the
   * list pick_first connects to, per gRFC A61).
   */
  public static List<Address> flatten(List<Endpoint> endpoints) {
    java.util.LinkedHashSet<Address> all = new java.util.LinkedHashSet<>();
    for (Endpoint endpoint : endpoints) {
      all.addAll(endpoint.addresses);
    }
    return List.copyOf(all);
  }

  /** Returns one endpoint per address, in order: what a resolver that knows only addresses means. */
  public static List<Endpoint> eachOf(List<Address> addresses) {
    Endpoint[] endpoints = new Endpoint[addresses.size()];
    for (int i = 0; i < endpoints.length; i++) {
      endpoints[i] = of(List.of(addresses.get(i)));
    }
    return List.of(endpoints);
  }

  /** Returns a builder for an endpoint of {@code addresses}. */
  public static Builder newBuilder(List<Address> addresses) {
    return new Builder(addresses);
  }

  /** Returns a builder that starts with this endpoint's values. */
  public Builder toBuilder() {
    return new Builder(addresses).attributes(attributes);
  }

  /** Returns the addresses, in the order to try them; never empty. */
  public List<Address> addresses() {
    return addresses;
  }

  /** Returns the balancer-only attributes of the server (weight, locality). */
  public Attributes attributes() {
    return attributes;
  }

  /** Equal when the addresses are, in the same order. */
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Endpoint && ((Endpoint) o).addresses.equals(addresses));
  }

  @Override
  public int hashCode() {
    return addresses.hashCode();
  }

  @Override
  public String toString() {
    return addresses.size() == 1 && attributes.isEmpty() ? addresses.get(0).toString()
        : "Endpoint" + addresses + (attributes.isEmpty() ? "" : attributes.toString());
  }

  /**
   * Builds an {@link Endpoint}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final List<Address> addresses;
    private Attributes attributes = Attributes.EMPTY;

    private Builder(List<Address> addresses) {
      this.addresses = List.copyOf(requireNonNull(addresses, "addresses"));
    }

    /** Sets the balancer-only attributes. Default: empty. */
    public Builder attributes(Attributes attributes) {
      this.attributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /**
     * Returns the endpoint.
     *
     * @throws IllegalArgumentException if there are no addresses
     */
    public Endpoint build() {
      return new Endpoint(addresses, attributes);
    }
  }
}
