package dev.switchboard.resolver.dns.internal;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.HostAndPort;
import dev.switchboard.channel.api.resolver.Target;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * A {@code dns:} target taken apart: the DNS server to ask (or none, for the system's), the host to
 * look up and the port to give its addresses. For an IP literal or {@code localhost} the addresses
 * are known without a query.
 *
 * <p>Immutable.
 *
 * @param dnsServer the DNS server named by the target's authority, or {@code null} for the system's
 * @param host the host name or IP literal, without brackets
 * @param port the port of the resolved addresses
 * @param knownAddresses the addresses of an IP literal or {@code localhost} (IPv4 first); empty for
 *     a name that needs a query
 */
record DnsTarget(InetSocketAddress dnsServer, String host, int port, List<InetAddress> knownAddresses) {

  static final int DEFAULT_DNS_PORT = 53;

  private static final List<InetAddress> LOCALHOST = List.of(
      NetUtil.createInetAddressFromIpAddressString("127.0.0.1"),
      NetUtil.createInetAddressFromIpAddressString("::1"));

  DnsTarget {
    knownAddresses = List.copyOf(knownAddresses);
  }

  /** Returns whether the addresses are known without a query. */
  boolean needsQuery() {
    return knownAddresses.isEmpty();
  }

  /**
   * Parses {@code dns:[//dns-server[:port]/]host[:port]}, host and port by the grammar of {@link
   * HostAndPort}.
   *
   * @throws IllegalArgumentException naming the target and the part that is wrong
   */
  static DnsTarget parse(Target target, int defaultPort) {
    String where = "target " + ErrorText.quote(target.original()) + ": ";
    InetSocketAddress server = null;
    if (!target.authority().isEmpty()) {
      HostAndPort dnsServer = split(target.authority(), DEFAULT_DNS_PORT, where + "DNS server ");
      List<InetAddress> known = knownAddresses(dnsServer);
      if (known.isEmpty()) {
        throw new IllegalArgumentException(where + "DNS server " + ErrorText.quote(target.authority())
            + " (expected: an IP address or localhost, optionally with a port)");
      }
      server = new InetSocketAddress(known.get(0), dnsServer.port());
    }
    HostAndPort hostAndPort = split(target.endpoint(), defaultPort, where);
    return new DnsTarget(server, hostAndPort.host(), hostAndPort.port(), knownAddresses(hostAndPort));
  }

  private static HostAndPort split(String text, int defaultPort, String where) {
    try {
      return HostAndPort.parse(text, defaultPort);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static List<InetAddress> knownAddresses(HostAndPort hostAndPort) {
    String lower = hostAndPort.host().toLowerCase(Locale.ROOT);
    if (lower.equals("localhost") || lower.equals("localhost.")) {
      return LOCALHOST;
    }
    return hostAndPort.ipAddress().map(List::of).orElse(List.of());
  }
}
