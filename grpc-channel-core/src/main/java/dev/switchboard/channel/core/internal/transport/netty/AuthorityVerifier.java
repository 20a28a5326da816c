package dev.switchboard.channel.core.internal.transport.netty;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks a per-call {@code :authority} override against the server's certificate, so that a call
 * cannot claim a host the TLS session was not verified for (RFC 6125 rules: subjectAltName DNS
 * names with a wildcard only as the whole left-most label, or IP addresses; no CN fallback).
 *
 * <p>Thread-safe (stateless).
 */
final class AuthorityVerifier {

  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private AuthorityVerifier() {}

  /** Returns the host part of an authority ({@code host}, {@code host:port}, {@code [v6]:port}). */
  static String host(String authority) {
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      return end > 0 ? authority.substring(1, end) : authority;
    }
    int colon = authority.lastIndexOf(':');
    return colon > 0 && authority.indexOf(':') == colon ? authority.substring(0, colon) : authority;
  }

  /** Returns the subjectAltNames of {@code cert} that {@code host} could match, for messages. */
  static List<String> names(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if (type == DNS_NAME || type == IP_ADDRESS) {
            out.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return List.of();
    }
    return out;
  }

  /** Returns whether {@code host} matches one of the certificate's subjectAltNames. */
  static boolean matches(X509Certificate cert, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String name : names(cert)) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals(h)) {
        return true;
      }
      if (n.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(n.substring(1))) {
        return true;
      }
    }
    return false;
  }
}
