package dev.switchboard.channel.core.internal.channel;

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
 * Resolves to a fixed list of addresses, on creation and on every {@code resolveNow()}: the
 * resolver of out-of-band channels (and of tests that need one). Not a registered service; created
 * for each such channel.
 *
 * <p>Immutable and thread-safe.
 */
public final class FixedAddressResolverProvider implements ResolverProvider {
  /** The scheme. */
  public static final String SCHEME = "fixed";

  private final List<Address> addresses;

  /** Resolves to {@code addresses}, in order, each without attributes. */
  public static FixedAddressResolverProvider of(SocketAddress... addresses) {
    return new FixedAddressResolverProvider(Stream.of(addresses).map(Address::of).collect(Collectors.toList()));
  }

  /** Resolves to {@code addresses}, in order. */
  public FixedAddressResolverProvider(List<Address> addresses) {
    this.addresses = List.copyOf(addresses);
  }

  @Override
  public String scheme() {
    return SCHEME;
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
