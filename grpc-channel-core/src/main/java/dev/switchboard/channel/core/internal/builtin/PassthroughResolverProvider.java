package dev.switchboard.channel.core.internal.builtin;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.HostAndPort;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code passthrough} scheme: the endpoint is {@code host:port}, {@code host},
 * {@code [ipv6]:port}, {@code [ipv6]} or a bare IPv6 literal, by {@link HostAndPort}'s grammar (the
 * one the {@code dns} scheme uses too); the port defaults to the channel's default port. IP
 * literals are used as they are; other host names are looked up with
 * {@link InetAddress#getAllByName} on the offload executor, again on each {@code resolveNow()}
 * (one lookup at a time; a {@code resolveNow()} during a lookup is answered by one more after it).
 *
 * <p>Immutable and thread-safe.
 */
public final class PassthroughResolverProvider implements ResolverProvider {
  /** The scheme. */
  public static final String SCHEME = "passthrough";

  /** Creates the provider (the service loader's constructor). */
  public PassthroughResolverProvider() {}

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    HostAndPort hostPort = parse(target, args.defaultPort());
    PassthroughResolver resolver = new PassthroughResolver(hostPort, clientConn, args.offloadExecutor());
    resolver.resolveNow();
    return resolver;
  }

  @Override
  public void checkTarget(Target target) {
    parse(target, 443);
  }

  private static HostAndPort parse(Target target, int defaultPort) {
    try {
      return HostAndPort.parse(target.endpoint(), defaultPort);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("target " + ErrorText.quote(target.original())
          + ": passthrough endpoint " + e.getMessage(), e);
    }
  }

  /** Thread-safe: lookups run one at a time on the offload executor. */
  private static final class PassthroughResolver implements Resolver {
    private final HostAndPort hostPort;
    private final ClientConn clientConn;
    private final Executor offloadExecutor;
    private final AtomicBoolean resolving = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean closed;

    PassthroughResolver(HostAndPort hostPort, ClientConn clientConn, Executor offloadExecutor) {
      this.hostPort = hostPort;
      this.clientConn = clientConn;
      this.offloadExecutor = offloadExecutor;
    }

    @Override
    public void resolveNow() {
      if (closed) {
        return;
      }
      if (hostPort.ipAddress().isPresent()) {
        InetSocketAddress literal = new InetSocketAddress(hostPort.ipAddress().get(), hostPort.port());
        clientConn.updateState(ResolverState.newBuilder().addresses(List.of(Address.of(literal))).build());
        return;
      }
      requested.set(true);
      if (resolving.compareAndSet(false, true)) {
        offloadExecutor.execute(this::lookUp);
      }
    }

    /**
     * Looks up until no {@code resolveNow()} is left unanswered: one that comes while a lookup runs
     * gets a lookup of its own after it, never a lost one and never two at once.
     */
    private void lookUp() {
      try {
        while (requested.getAndSet(false) && !closed) {
          lookUpOnce();
        }
      } finally {
        resolving.set(false);
      }
      if (requested.get() && !closed && resolving.compareAndSet(false, true)) {
        offloadExecutor.execute(this::lookUp);
      }
    }

    private void lookUpOnce() {
      try {
        InetAddress[] found = InetAddress.getAllByName(hostPort.host());
        List<Address> addresses = new ArrayList<>(found.length);
        for (InetAddress address : found) {
          addresses.add(Address.of(new InetSocketAddress(address, hostPort.port())));
        }
        if (!closed) {
          clientConn.updateState(ResolverState.newBuilder().addresses(addresses).build());
        }
      } catch (UnknownHostException | RuntimeException e) {
        if (!closed) {
          clientConn.reportError(
              Status.UNAVAILABLE
                  .withDescription(
                      "passthrough: cannot resolve " + ErrorText.quote(hostPort.host()) + ": " + e)
                  .withCause(e));
        }
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
