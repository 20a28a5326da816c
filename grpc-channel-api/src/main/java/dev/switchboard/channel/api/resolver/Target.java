package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed channel target, per gRPC's naming document: {@code scheme://authority/endpoint?query}.
 *
 * <h2>Components and how each is decoded</h2>
 *
 * <ul>
 *   <li>{@link #scheme()}: lower case, never empty.
 *   <li>{@link #authority()}: percent-decoded; empty when there is none ({@code dns:///orders}).
 *   <li>{@link #endpoint()}: the path, percent-decoded, without its leading {@code /}: {@code
 *       orders:443} for {@code dns:///orders:443}, {@code services/orders} for {@code
 *       zk://zk1:2181/services/orders}, {@code run/app.sock} for {@code unix:/run/app.sock}, {@code
 *       relative/x} for {@code file:relative/x}. {@link #isPathAbsolute()} tells the last two kinds
 *       apart from each other.
 *   <li>{@link #query()}: what follows {@code ?}, raw (not decoded, so that {@code &} and {@code =}
 *       inside a value stay apart); empty when there is no {@code ?}.
 *   <li>{@link #original()}: the string the user gave.
 * </ul>
 *
 * <p>A target with no scheme the channel knows ({@code orders:443}, {@code [::1]:443}) is read as
 * {@code default-scheme:///target}: its endpoint is the whole string as written (not decoded, as in
 * grpc-java), its path absolute, no query. Plugin tests get the channel's parse from the testing
 * kit ({@code Targets.parse}).
 *
 * <p>Immutable. A final class with a builder, so that it can gain fields.
 *
 * @since 0.1
 */
public final class Target {
  private final String scheme;
  private final String authority;
  private final String endpoint;
  private final boolean pathAbsolute;
  private final String query;
  private final String original;

  private Target(Builder b) {
    this.scheme = b.scheme;
    this.authority = b.authority;
    this.endpoint = b.endpoint;
    this.pathAbsolute = b.pathAbsolute;
    this.query = b.query;
    this.original = b.original != null ? b.original : b.compose();
  }

  /**
   * Returns a builder for a target of {@code scheme}; without {@link Builder#original}, the
   * original string is composed from the components.
   *
   * @throws IllegalArgumentException if {@code scheme} is empty
   */
  public static Builder newBuilder(String scheme) {
    return new Builder(scheme);
  }

  /** Returns a builder that starts with this target's components. */
  public Builder toBuilder() {
    Builder b = new Builder(scheme).authority(authority).endpoint(endpoint).pathAbsolute(pathAbsolute)
        .original(original);
    b.query = query;
    return b;
  }

  /** Returns the scheme, lower case. */
  public String scheme() {
    return scheme;
  }

  /** Returns the authority, percent-decoded; empty when there is none. */
  public String authority() {
    return authority;
  }

  /** Returns the path without its leading {@code /}, percent-decoded. */
  public String endpoint() {
    return endpoint;
  }

  /** Returns whether the path started with {@code /} ({@code file:///etc/x}, not {@code file:etc/x}). */
  public boolean isPathAbsolute() {
    return pathAbsolute;
  }

  /** Returns the query, raw; empty when the target has no {@code ?}. */
  public Optional<String> query() {
    return Optional.ofNullable(query);
  }

  /** Returns the target string as the user gave it. */
  public String original() {
    return original;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Target)) {
      return false;
    }
    Target other = (Target) o;
    return pathAbsolute == other.pathAbsolute && scheme.equals(other.scheme)
        && authority.equals(other.authority) && endpoint.equals(other.endpoint)
        && Objects.equals(query, other.query) && original.equals(other.original);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, authority, endpoint, pathAbsolute, query, original);
  }

  /** Returns {@link #original()}. */
  @Override
  public String toString() {
    return original;
  }

  /**
   * Builds a {@link Target}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final String scheme;
    private String authority = "";
    private String endpoint = "";
    private boolean pathAbsolute = true;
    private String query;
    private String original;

    private Builder(String scheme) {
      requireNonNull(scheme, "scheme");
      if (scheme.isEmpty()) {
        throw new IllegalArgumentException("scheme: '' (expected: not empty)");
      }
      this.scheme = scheme;
    }

    /** Sets the authority, decoded. Default: empty. */
    public Builder authority(String authority) {
      this.authority = requireNonNull(authority, "authority");
      return this;
    }

    /** Sets the endpoint: the decoded path without its leading {@code /}. Default: empty. */
    public Builder endpoint(String endpoint) {
      this.endpoint = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Sets whether the path started with {@code /}. Default: true. */
    public Builder pathAbsolute(boolean absolute) {
      this.pathAbsolute = absolute;
      return this;
    }

    /** Sets the raw query (what follows {@code ?}). Default: none. */
    public Builder query(String query) {
      this.query = requireNonNull(query, "query");
      return this;
    }

    /** Sets the string the user gave. Default: composed from the components. */
    public Builder original(String original) {
      this.original = requireNonNull(original, "original");
      return this;
    }

    /** Returns the target. */
    public Target build() {
      return new Target(this);
    }

    private String compose() {
      return scheme + ":" + (authority.isEmpty() && !pathAbsolute ? "" : "//" + authority + "/")
          + endpoint + (query == null ? "" : "?" + query);
    }

    @Override
    public String toString() {
      return "Target.Builder{" + ErrorText.quote(compose()) + "}";
    }
  }
}
