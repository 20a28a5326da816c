package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;

/**
 * The provider of the {@code manual} scheme, found through {@link java.util.ServiceLoader}: it
 * serves {@code manual:///<name>} with the {@link ManualResolver} created under that name.
 *
 * <p>An instance from {@link ManualResolver#provider()} serves its one resolver for any target.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class ManualResolverProvider implements ResolverProvider {

  private final ManualResolver bound;

  /** Creates the provider that {@link java.util.ServiceLoader} instantiates: it looks targets up by name. */
  public ManualResolverProvider() {
    this.bound = null;
  }

  ManualResolverProvider(ManualResolver bound) {
    this.bound = bound;
  }

  /** Returns {@code manual}. */
  @Override
  public String scheme() {
    return ManualResolver.SCHEME;
  }

  /**
   * Returns the resolver of the {@link ManualResolver} named by the target's endpoint (or the one
   * this provider is bound to), delivering its initial state inline if one is set.
   *
   * @throws IllegalArgumentException if no live {@code ManualResolver} has that name
   */
  @Override
  public void checkTarget(Target target) {
    resolverFor(requireNonNull(target, "target"));
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    requireNonNull(target, "target");
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    return resolverFor(target).newResolver(target, clientConn);
  }

  private ManualResolver resolverFor(Target target) {
    return bound != null
        ? bound
        : ManualResolver.lookup(target.endpoint()).orElseThrow(() -> new IllegalArgumentException(
            "target " + ErrorText.quote(target.original()) + ": no ManualResolver named "
                + ErrorText.quote(target.endpoint()) + " (expected: the target() of a live ManualResolver.create())"));
  }

  @Override
  public String toString() {
    return bound == null ? "ManualResolverProvider" : "ManualResolverProvider{" + bound.target() + "}";
  }
}
