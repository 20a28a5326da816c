package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;

/**
 * A parsed channel target, per gRPC's naming document: {@code scheme://authority/endpoint}.
 *
 * <p>For {@code dns:///orders:443} the scheme is {@code dns}, the authority is empty and the
 * endpoint is {@code orders:443}; for {@code zk://zk1:2181/services/orders} the authority is
 * {@code zk1:2181} and the endpoint is {@code services/orders}; for {@code unix:/run/app.sock} the
 * authority is empty and the endpoint is {@code /run/app.sock}. A target with no scheme
 * ({@code orders:443}) is given the channel's default scheme, and {@link #original()} keeps what the
 * user wrote. Components are percent-decoded.
 *
 * <p>Immutable.
 *
 * @param scheme the scheme, lower case, never empty
 * @param authority the authority, empty when there is none
 * @param endpoint the endpoint: the path without its leading slash (or the opaque part)
 * @param original the target string as the user gave it
 * @since 0.1
 */
public record Target(String scheme, String authority, String endpoint, String original) {

  /** Checks the components. */
  public Target {
    requireNonNull(scheme, "scheme");
    requireNonNull(authority, "authority");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(original, "original");
    if (scheme.isEmpty()) {
      throw new IllegalArgumentException("scheme of target " + ErrorText.quote(original) + " is empty");
    }
  }

  @Override
  public String toString() {
    return original;
  }
}
