package dev.switchboard.channel.api.resolver;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host and a port taken from a target's endpoint or authority, by the one grammar that every
 * built-in resolver uses (and that plugin resolvers are welcome to):
 *
 * <ul>
 *   <li>{@code host}, {@code host:port}, {@code [ipv6]}, {@code [ipv6]:port}, or a bare IPv6
 *       literal without a port;
 *   <li>a port is 1 to 5 ASCII digits with a value of 1-65535 ({@code +80}, {@code ١٢٣} and
 *       {@code 0} are refused); without one, the caller's default port applies;
 *   <li>a host is an IPv4 literal in dotted-quad form, an IPv6 literal, or a DNS name: labels of
 *       1-63 ASCII letters, digits, {@code -} and {@code _}, separated by dots, at most 253
 *       characters, optionally ending with a dot;
 *   <li>an IPv6 literal may carry a zone ({@code [fe80::1%eth0]:80}, RFC 4007): a network interface
 *       name or index of this machine, or any number. A zone written as in a URI, with the
 *       {@code %} encoded ({@code [fe80::1%25eth0]}, RFC 6874), is read as the zone after
 *       {@code %25} when the whole text names no interface.
 * </ul>
 *
 * <p>Nothing is looked up in DNS: {@link #ipAddress()} is present only for IP literals.
 *
 * <p>Immutable.
 *
 * @since 0.1
 */
public final class HostAndPort {

  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final String GRAMMAR = " (expected: host, host:port, [ipv6] or [ipv6]:port)";

  private final String host;
  private final int port;
  private final InetAddress ipAddress;

  private HostAndPort(String host, int port, InetAddress ipAddress) {
    this.host = host;
    this.port = port;
    this.ipAddress = ipAddress;
  }

  /**
   * Parses {@code text}.
   *
   * @param text the host and optional port, e.g. a {@link Target#endpoint()}
   * @param defaultPort the port when {@code text} has none, 1-65535
   * @throws IllegalArgumentException naming the text (quoted, cut to a readable length) and what is
   *     wrong with it
   */
  public static HostAndPort parse(String text, int defaultPort) {
    requireNonNull(text, "text");
    if (defaultPort < 1 || defaultPort > 65535) {
      throw new IllegalArgumentException("defaultPort: " + defaultPort + " (expected: 1-65535)");
    }
    if (text.isEmpty()) {
      throw invalid(text, "the host is empty" + GRAMMAR);
    }
    String host;
    String port = null;
    boolean bracketed = text.startsWith("[");
    if (bracketed) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw invalid(text, "it has no ']' after '['" + GRAMMAR);
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(text, ErrorText.quote(rest) + " after ']' (expected: nothing or :port)");
        }
        port = rest.substring(1);
      }
    } else if (text.indexOf(':') != text.lastIndexOf(':')) {
      host = text; // a bare IPv6 literal: no port
    } else {
      int colon = text.indexOf(':');
      host = colon < 0 ? text : text.substring(0, colon);
      port = colon < 0 ? null : text.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw invalid(text, "the host is empty" + GRAMMAR);
    }
    int portNumber = port == null ? defaultPort : parsePort(text, port);
    if (bracketed || host.indexOf(':') >= 0) {
      return new HostAndPort(host, portNumber, ipv6(text, host));
    }
    if (IPV4.matcher(host).matches()) {
      return new HostAndPort(host, portNumber, literal(text, host));
    }
    checkDnsName(text, host);
    return new HostAndPort(host, portNumber, null);
  }

  /** Returns the host as written, without brackets: a name or an IP literal (with its zone). */
  public String host() {
    return host;
  }

  /** Returns the port given, or the default port. */
  public int port() {
    return port;
  }

  /** Returns the address of an IP literal (with its zone as scope), or empty for a name. */
  public Optional<InetAddress> ipAddress() {
    return Optional.ofNullable(ipAddress);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof HostAndPort)) {
      return false;
    }
    HostAndPort other = (HostAndPort) o;
    return port == other.port && host.equals(other.host);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port);
  }

  /** Returns {@code host:port}, with brackets around an IPv6 literal. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static int parsePort(String text, String port) {
    if (port.isEmpty()) {
      throw invalid(text, "the port is empty (expected: 1-65535)");
    }
    if (port.length() > 5 || !DIGITS.matcher(port).matches()) {
      throw invalid(text, "port " + ErrorText.quote(port) + " (expected: 1-65535 in ASCII digits)");
    }
    int value = Integer.parseInt(port);
    if (value < 1 || value > 65535) {
      throw invalid(text, "port " + value + " (expected: 1-65535)");
    }
    return value;
  }

  private static InetAddress ipv6(String text, String host) {
    int percent = host.indexOf('%');
    String address = percent < 0 ? host : host.substring(0, percent);
    if (address.indexOf(':') < 0 || !IPV6_CHARS.matcher(address).matches()) {
      throw invalid(text, ErrorText.quote(address) + " is not an IPv6 address");
    }
    InetAddress parsed = literal(text, address);
    if (percent < 0) {
      return parsed;
    }
    String zone = host.substring(percent + 1);
    if (!(parsed instanceof Inet6Address)) {
      throw invalid(text, "a zone on an IPv4-mapped address (expected: none)");
    }
    try {
      return Inet6Address.getByAddress(null, parsed.getAddress(), scopeId(text, zone));
    } catch (UnknownHostException e) {
      throw invalid(text, "its zone: " + e.getMessage());
    }
  }

  /** Returns the scope id of an IPv6 zone: an interface's index, or the number given. */
  private static int scopeId(String text, String zone) {
    if (zone.isEmpty()) {
      throw invalid(text, "the IPv6 zone after '%' is empty");
    }
    NetworkInterface nif = networkInterface(zone);
    if (nif != null) {
      return nif.getIndex();
    }
    if (zone.startsWith("25") && zone.length() > 2) {
      NetworkInterface encoded = networkInterface(zone.substring(2));
      if (encoded != null) {
        return encoded.getIndex();
      }
    }
    if (zone.length() <= 9 && DIGITS.matcher(zone).matches()) {
      return Integer.parseInt(zone);
    }
    throw invalid(text, "IPv6 zone " + ErrorText.quote(zone)
        + " is no network interface of this machine (expected: an interface name or index)");
  }

  private static NetworkInterface networkInterface(String zone) {
    try {
      if (zone.length() <= 9 && DIGITS.matcher(zone).matches()) {
        return NetworkInterface.getByIndex(Integer.parseInt(zone));
      }
      return NetworkInterface.getByName(zone);
    } catch (SocketException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Parses an IP literal; never a DNS query, as the callers checked its form. */
  private static InetAddress literal(String text, String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw invalid(text, ErrorText.quote(address) + " is not an IP address");
    }
  }

  private static void checkDnsName(String text, String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    boolean ok = !name.isEmpty() && name.length() <= 253;
    int labelLength = 0;
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        ok = labelLength > 0;
        labelLength = 0;
      } else {
        ok = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_') && ++labelLength <= 63;
      }
    }
    if (!ok || labelLength == 0) {
      throw invalid(text, (host.equals(text) ? "not a host name" : "host " + ErrorText.quote(host))
          + " (expected: an IP address or a DNS name of"
          + " letters, digits, '-' and '_' in dot-separated labels of 1-63 characters)");
    }
  }

  private static IllegalArgumentException invalid(String text, String problem) {
    return new IllegalArgumentException(ErrorText.quote(text) + ": " + problem);
  }
}
