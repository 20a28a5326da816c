package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.Target;

/**
 * The resolver of {@code demo}: hands the channel one fixed state (the fleet's addresses) when it
 * creates its resolver, and nothing after. It is handed to the channel builder only, never
 * declared as a service, so {@code switchboard plugins} does not list it; the image thus needs no
 * test kit (whose {@code manual} resolver would be listed) for {@code demo}.
 *
 * <p>Immutable.
 */
final class FixedResolverProvider implements ResolverProvider {

  static final String SCHEME = "switchboard-demo";

  private final ResolverState state;

  FixedResolverProvider(ResolverState state) {
    this.state = requireNonNull(state, "state");
  }

  /** Returns the target this provider serves, {@code switchboard-demo:///fleet}. */
  String target() {
    return SCHEME + ":///fleet";
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    requireNonNull(target, "target");
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    clientConn.updateState(state);
    return new Resolver() {
      @Override
      public void resolveNow() {
        // The addresses never change: the state delivered at creation stays the answer.
      }

      @Override
      public void close() {
        // Nothing to release.
      }
    };
  }
}
