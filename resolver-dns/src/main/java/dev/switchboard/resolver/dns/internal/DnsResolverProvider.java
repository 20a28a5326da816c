package dev.switchboard.resolver.dns.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.resolver.dns.DnsResolverOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Provides the {@code dns} scheme. The grammar, options and behaviour are documented on the module
 * and on {@link dev.switchboard.resolver.dns}.
 *
 * <p>Thread-safe: stateless; every resolver owns what it uses.
 */
public final class DnsResolverProvider implements ResolverProvider {

  /** The scheme served. */
  public static final String SCHEME = "dns";

  /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
  public DnsResolverProvider() {}

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public List<PluginOption<?>> options() {
    return DnsResolverOptions.ALL;
  }

  @Override
  public void checkTarget(Target target) {
    // The default port does not decide whether a target is well-formed.
    DnsTarget.parse(requireNonNull(target, "target"), 443);
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    requireNonNull(target, "target");
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    DnsTarget dns = DnsTarget.parse(target, args.defaultPort());
    Duration minInterval = args.option(DnsResolverOptions.MIN_RESOLUTION_INTERVAL);
    if (minInterval.isNegative()) {
      throw new IllegalArgumentException("target " + ErrorText.quote(target.original()) + ": option "
          + DnsResolverOptions.MIN_RESOLUTION_INTERVAL + " is " + minInterval + " (expected: zero or more)");
    }
    Duration timeout = args.option(DnsResolverOptions.QUERY_TIMEOUT);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("target " + ErrorText.quote(target.original()) + ": option "
          + DnsResolverOptions.QUERY_TIMEOUT + " is " + timeout + " (expected: more than zero)");
    }
    DnsLookup lookup;
    if (dns.needsQuery()) {
      lookup = new NettyDnsLookup(
          dns,
          args.option(DnsResolverOptions.ENABLE_GRPCLB),
          args.option(DnsResolverOptions.ENABLE_SERVICE_CONFIG) && !args.serviceConfigIgnored(),
          timeout);
    } else {
      List<InetSocketAddress> known = new ArrayList<>();
      for (InetAddress a : dns.knownAddresses()) {
        known.add(new InetSocketAddress(a, dns.port()));
      }
      DnsLookup.Resolution resolution = DnsLookup.Resolution.found(known, List.of(), null);
      lookup = done -> done.accept(resolution);
    }
    DnsResolver resolver = new DnsResolver(
        dns.host(),
        clientConn,
        lookup,
        new ServiceConfigChoices(
            DnsResolverProvider::localHostName, () -> ThreadLocalRandom.current().nextInt(100)),
        args.scheduler(),
        args.ticker(),
        minInterval);
    resolver.start();
    return resolver;
  }

  /**
   * Returns this machine's host name for {@code clientHostname} choices, or empty if unknown. Asked
   * only when a choice names host names; it may block, on the resolver's own event loop.
   */
  private static String localHostName() {
    return LocalHostName.NAME;
  }

  /** Looked up once, on first use. */
  private static final class LocalHostName {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        System.getLogger(DnsResolverProvider.class.getName())
            .log(System.Logger.Level.DEBUG, "local host name unknown; clientHostname never matches", e);
        return "";
      }
    }
  }
}
