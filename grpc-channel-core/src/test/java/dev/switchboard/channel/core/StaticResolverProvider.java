package dev.switchboard.channel.core;

import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.Target;
import java.net.SocketAddress;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code static} scheme for tests: resolves any target to the given addresses, in order, on
 * creation and on every {@code resolveNow()}. Thread-safe.
 */
public final class StaticResolverProvider implements ResolverProvider {
  private final List<Address> addresses;

  /** Resolves to {@code addresses}, each without attributes. */
  public StaticResolverProvider(SocketAddress... addresses) {
    this.addresses = Stream.of(addresses).map(Address::of).collect(Collectors.toUnmodifiableList());
  }

  @Override
  public String scheme() {
    return "static";
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    ResolverState state = ResolverState.newBuilder().addresses(addresses).build();
    clientConn.updateState(state);
    return new Resolver() {
      private volatile boolean closed;

      @Override
      public void resolveNow() {
        if (!closed) {
          clientConn.updateState(state);
        }
      }

      @Override
      public void close() {
        closed = true;
      }
    };
  }
}
