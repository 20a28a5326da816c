package dev.switchboard.channel.core.internal.transport;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;

/**
 * Per-connection options: the {@code :authority} (also the TLS server name), the
 * {@code user-agent}, and the address's attributes.
 *
 * @param authority the authority for streams on this connection, unless a call overrides it
 * @param userAgent the {@code user-agent} header value
 * @param addressAttributes the attributes of the address being connected to
 */
public record TransportOptions(String authority, String userAgent, Attributes addressAttributes) {

  /** Checks the components. */
  public TransportOptions {
    requireNonNull(authority, "authority");
    requireNonNull(userAgent, "userAgent");
    requireNonNull(addressAttributes, "addressAttributes");
  }
}
