package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A server address produced by a resolver, with attributes for the balancer.
 *
 * <p>Equality includes the attributes, so an address whose attributes changed is a new address to
 * a balancer that compares them.
 *
 * <p>Immutable.
 *
 * @param socketAddress where to connect; an {@link InetSocketAddress} must be resolved
 * @param attributes what the resolver knows about this address
 * @since 0.1
 */
public record Address(SocketAddress socketAddress, Attributes attributes) {

  /**
   * Overrides the {@code :authority} (and TLS server name) used for connections to this address.
   * The DNS resolver sets it on grpclb balancer addresses found by SRV lookup.
   */
  public static final Attributes.Key<String> AUTHORITY_OVERRIDE =
      Attributes.Key.create("switchboard.authority-override");

  /** Checks the components. */
  public Address {
    requireNonNull(socketAddress, "socketAddress");
    requireNonNull(attributes, "attributes");
    if (socketAddress instanceof InetSocketAddress && ((InetSocketAddress) socketAddress).isUnresolved()) {
      throw new IllegalArgumentException(
          "socketAddress: " + socketAddress + " is unresolved (expected: an IP address)");
    }
  }

  /** Returns an address without attributes. */
  public static Address of(SocketAddress socketAddress) {
    return new Address(socketAddress, Attributes.EMPTY);
  }

  @Override
  public String toString() {
    return attributes.isEmpty() ? socketAddress.toString() : socketAddress + attributes.toString();
  }
}
