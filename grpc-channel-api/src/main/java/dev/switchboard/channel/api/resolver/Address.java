package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A server address produced by a resolver, with attributes of two kinds (gRFC A61):
 *
 * <ul>
 *   <li>{@link #attributes()} identify the address: they are part of its equality, so a change
 *       makes it a new address, and a balancer that keys subconns by address reconnects
 *       ({@link #AUTHORITY_OVERRIDE} is one: a new authority needs a new connection);
 *   <li>{@link #balancerAttributes()} are for the balancer only (weight, locality, an lb token):
 *       not part of equality, so a changed weight never churns a connection.
 * </ul>
 *
 * <p>Immutable. A final class with a builder, so that it can gain fields.
 *
 * @since 0.1
 */
public final class Address {

  /**
   * Overrides the {@code :authority} (and TLS server name) used for connections to this address.
   * The DNS resolver sets it on grpclb balancer addresses found by SRV lookup. Identifying.
   */
  public static final Attributes.Key<String> AUTHORITY_OVERRIDE =
      Attributes.Key.create("switchboard.authority-override");

  private final SocketAddress socketAddress;
  private final Attributes attributes;
  private final Attributes balancerAttributes;

  private Address(Builder b) {
    this.socketAddress = b.socketAddress;
    this.attributes = b.attributes;
    this.balancerAttributes = b.balancerAttributes;
  }

  /**
   * Returns an address without attributes.
   *
   * @throws IllegalArgumentException if {@code socketAddress} is an unresolved {@link InetSocketAddress}
   */
  public static Address of(SocketAddress socketAddress) {
    return newBuilder(socketAddress).build();
  }

  /**
   * Returns a builder for an address at {@code socketAddress}.
   *
   * @throws IllegalArgumentException if {@code socketAddress} is an unresolved {@link InetSocketAddress}
   */
  public static Builder newBuilder(SocketAddress socketAddress) {
    return new Builder(socketAddress);
  }

  /** Returns a builder that starts with this address's values. */
  public Builder toBuilder() {
    return new Builder(socketAddress).attributes(attributes).balancerAttributes(balancerAttributes);
  }

  /** Returns where to connect. */
  public SocketAddress socketAddress() {
    return socketAddress;
  }

  /** Returns the attributes that identify the address (part of its equality). */
  public Attributes attributes() {
    return attributes;
  }

  /** Returns the attributes for the balancer only (not part of equality). */
  public Attributes balancerAttributes() {
    return balancerAttributes;
  }

  /** Equal when the socket addresses and the identifying attributes are. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Address)) {
      return false;
    }
    Address other = (Address) o;
    return socketAddress.equals(other.socketAddress) && attributes.equals(other.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(socketAddress, attributes);
  }

  @Override
  public String toString() {
    return socketAddress + (attributes.isEmpty() ? "" : attributes.toString())
        + (balancerAttributes.isEmpty() ? "" : "balancer" + balancerAttributes);
  }

  /**
   * Builds an {@link Address}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final SocketAddress socketAddress;
    private Attributes attributes = Attributes.EMPTY;
    private Attributes balancerAttributes = Attributes.EMPTY;

    private Builder(SocketAddress socketAddress) {
      requireNonNull(socketAddress, "socketAddress");
      if (socketAddress instanceof InetSocketAddress && ((InetSocketAddress) socketAddress).isUnresolved()) {
        throw new IllegalArgumentException(
            "socketAddress: " + socketAddress + " is unresolved (expected: an IP address)");
      }
      this.socketAddress = socketAddress;
    }

    /** Sets the identifying attributes. Default: empty. */
    public Builder attributes(Attributes attributes) {
      this.attributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /** Sets the balancer-only attributes. Default: empty. */
    public Builder balancerAttributes(Attributes attributes) {
      this.balancerAttributes = requireNonNull(attributes, "attributes");
      return this;
    }

    /** Returns the address. */
    public Address build() {
      return new Address(this);
    }
  }
}
