package dev.switchboard.channel.core.internal.builtin;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
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
import java.util.regex.Pattern;

/**
 * The {@code passthrough} scheme: the endpoint is {@code host:port}, {@code host},
 * {@code [ipv6]:port}, {@code [ipv6]} or a bare IPv6 literal; the port defaults to the channel's
 * default port. IP literals are used as they are; other host names are looked up with
 * {@link InetAddress#getAllByName} on the offload executor, again on each {@code resolveNow()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PassthroughResolverProvider implements ResolverProvider {
  /** The scheme. */
  public static final String SCHEME = "passthrough";

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  /** Creates the provider (the service loader's constructor). */
  public PassthroughResolverProvider() {}

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    HostPort hostPort = parse(target, args.defaultPort());
    PassthroughResolver resolver = new PassthroughResolver(hostPort, clientConn, args.offloadExecutor());
    resolver.resolveNow();
    return resolver;
  }

  @Override
  public void checkTarget(Target target) {
    parse(target, 443);
  }

  private static HostPort parse(Target target, int defaultPort) {
    try {
      return parse(target.endpoint(), defaultPort);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("target '" + target.original() + "': " + e.getMessage(), e);
    }
  }

  /** A parsed endpoint; {@code literal} is set when the host is an IP literal. */
  record HostPort(String host, int port, InetAddress literal) {}

  /**
   * Parses an endpoint.
   *
   * @throws IllegalArgumentException naming the endpoint and what is wrong with it
   */
  static HostPort parse(String endpoint, int defaultPort) {
    requireNonNull(endpoint, "endpoint");
    String host;
    String port = null;
    boolean bracketed = false;
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf(']');
      if (close < 0) {
        throw bad(endpoint, "missing ']'");
      }
      host = endpoint.substring(1, close);
      bracketed = true;
      String rest = endpoint.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(endpoint, "unexpected '" + rest + "' after ']'");
        }
        port = rest.substring(1);
      }
    } else if (endpoint.indexOf(':') != endpoint.lastIndexOf(':')) {
      host = endpoint; // a bare IPv6 literal, no port
      bracketed = true;
    } else {
      int colon = endpoint.indexOf(':');
      host = colon < 0 ? endpoint : endpoint.substring(0, colon);
      port = colon < 0 ? null : endpoint.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw bad(endpoint, "no host");
    }
    int portNumber = defaultPort;
    if (port != null) {
      try {
        portNumber = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw bad(endpoint, "port '" + port + "' is not a number");
      }
      if (portNumber < 1 || portNumber > 65535) {
        throw bad(endpoint, "port " + portNumber + " (expected: 1-65535)");
      }
    }
    InetAddress literal = null;
    if (bracketed) {
      if (!host.contains(":")) {
        throw bad(endpoint, "'" + host + "' in brackets is not an IPv6 address");
      }
      try {
        literal = InetAddress.getByName(host); // a literal with ':' never goes to DNS
      } catch (UnknownHostException e) {
        throw bad(endpoint, "'" + host + "' is not an IPv6 address");
      }
    } else if (IPV4.matcher(host).matches()) {
      try {
        literal = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw bad(endpoint, "'" + host + "' is not an IPv4 address");
      }
    } else if (!HOST_NAME.matcher(host).matches()) {
      throw bad(endpoint, "'" + host + "' is not a host name");
    }
    return new HostPort(host, portNumber, literal);
  }

  private static IllegalArgumentException bad(String endpoint, String problem) {
    return new IllegalArgumentException(
        "passthrough endpoint '" + endpoint + "': " + problem
            + " (expected: host, host:port, [ipv6] or [ipv6]:port)");
  }

  /** Thread-safe: lookups run one at a time on the offload executor. */
  private static final class PassthroughResolver implements Resolver {
    private final HostPort hostPort;
    private final ClientConn clientConn;
    private final Executor offloadExecutor;
    private final AtomicBoolean resolving = new AtomicBoolean();
    private volatile boolean closed;

    PassthroughResolver(HostPort hostPort, ClientConn clientConn, Executor offloadExecutor) {
      this.hostPort = hostPort;
      this.clientConn = clientConn;
      this.offloadExecutor = offloadExecutor;
    }

    @Override
    public void resolveNow() {
      if (closed) {
        return;
      }
      if (hostPort.literal() != null) {
        clientConn.updateState(
            ResolverState.newBuilder()
                .addresses(List.of(Address.of(new InetSocketAddress(hostPort.literal(), hostPort.port()))))
                .build());
        return;
      }
      if (resolving.compareAndSet(false, true)) {
        offloadExecutor.execute(this::lookUp);
      }
    }

    private void lookUp() {
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
                  .withDescription("passthrough: cannot resolve '" + hostPort.host() + "': " + e)
                  .withCause(e));
        }
      } finally {
        resolving.set(false);
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
