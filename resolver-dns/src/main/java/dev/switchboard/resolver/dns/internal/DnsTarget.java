package dev.switchboard.resolver.dns.internal;

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
   * Parses {@code dns:[//dns-server[:port]/]host[:port]}.
   *
   * @throws IllegalArgumentException naming the target and the part that is wrong
   */
  static DnsTarget parse(Target target, int defaultPort) {
    String where = "target '" + target.original() + "': ";
    InetSocketAddress server = null;
    if (!target.authority().isEmpty()) {
      HostPort hp = HostPort.split(target.authority(), DEFAULT_DNS_PORT, where + "DNS server ");
      List<InetAddress> known = knownAddresses(hp.host);
      if (known.isEmpty()) {
        throw new IllegalArgumentException(where + "DNS server '" + target.authority()
            + "' (expected: an IP address or localhost, optionally with a port)");
      }
      server = new InetSocketAddress(known.get(0), hp.port);
    }
    HostPort hp = HostPort.split(target.endpoint(), defaultPort, where);
    List<InetAddress> known = knownAddresses(hp.host);
    if (known.isEmpty()) {
      checkHostName(hp.host, where);
    }
    return new DnsTarget(server, hp.host, hp.port, known);
  }

  private static List<InetAddress> knownAddresses(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.equals("localhost") || lower.equals("localhost.")) {
      return LOCALHOST;
    }
    if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
      return List.of(NetUtil.createInetAddressFromIpAddressString(host));
    }
    return List.of();
  }

  /** Accepts RFC 1123 names, plus '_' (seen in SRV-style and internal names). */
  private static void checkHostName(String host, String where) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    boolean ok = !name.isEmpty() && name.length() <= 253;
    for (String label : name.split("\\.", -1)) {
      ok &= !label.isEmpty() && label.length() <= 63;
      for (int i = 0; ok && i < label.length(); i++) {
        char c = label.charAt(i);
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
            || c == '_';
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(where + "host '" + host + "' (expected: an IP address or a"
          + " DNS name of letters, digits, '-' and '_' in dot-separated labels of 1-63 characters)");
    }
  }

  /** A host and a port split apart. */
  private static final class HostPort {
    final String host;
    final int port;

    private HostPort(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /** Splits {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port} or a bare IPv6. */
    static HostPort split(String s, int defaultPort, String where) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException(where + "host is empty (expected: host[:port])");
      }
      String host;
      String port;
      if (s.startsWith("[")) {
        int close = s.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException(where + "'" + s + "' has no ']' (expected: [ipv6][:port])");
        }
        host = s.substring(1, close);
        if (!NetUtil.isValidIpV6Address(host)) {
          throw new IllegalArgumentException(
              where + "'" + host + "' in brackets (expected: an IPv6 address)");
        }
        String rest = s.substring(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(":")) {
          throw new IllegalArgumentException(
              where + "'" + rest + "' after ']' (expected: nothing or :port)");
        }
        port = rest.isEmpty() ? null : rest.substring(1);
      } else {
        int colon = s.indexOf(':');
        if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
          if (!NetUtil.isValidIpV6Address(s)) {
            throw new IllegalArgumentException(
                where + "'" + s + "' (expected: host[:port], or [ipv6]:port)");
          }
          return new HostPort(s, defaultPort);
        }
        host = colon < 0 ? s : s.substring(0, colon);
        port = colon < 0 ? null : s.substring(colon + 1);
        if (host.isEmpty()) {
          throw new IllegalArgumentException(where + "host is empty (expected: host[:port])");
        }
      }
      return new HostPort(host, port == null ? defaultPort : parsePort(port, where));
    }

    private static int parsePort(String port, String where) {
      boolean digits = !port.isEmpty() && port.length() <= 5;
      for (int i = 0; digits && i < port.length(); i++) {
        digits = port.charAt(i) >= '0' && port.charAt(i) <= '9';
      }
      int value = digits ? Integer.parseInt(port) : -1;
      if (value < 1 || value > 65535) {
        throw new IllegalArgumentException(
            where + "port " + (port.isEmpty() ? "is empty" : port) + " (expected: 1-65535)");
      }
      return value;
    }
  }
}
