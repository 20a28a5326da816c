package dev.switchboard.channel.core.internal.target;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Parses channel targets per gRPC's naming document, as grpc-go and grpc-java do.
 *
 * <ul>
 *   <li>{@code scheme://authority/endpoint}, {@code scheme:///endpoint}, {@code scheme:/path} and
 *       {@code scheme:path}: the endpoint is the decoded path without its leading slash, and the
 *       target says whether there was one ({@code unix:/run/app.sock}: endpoint {@code
 *       run/app.sock}, absolute);
 *   <li>a target whose scheme has no resolver, or that is not a URI at all ({@code orders:443},
 *       {@code 10.0.0.1:443}, {@code [::1]:443}), gets the default scheme: it is read as
 *       {@code default:///target}.
 * </ul>
 *
 * <p>The query is kept raw apart from the endpoint ({@code consul://host/orders?dc=dc1}: endpoint
 * {@code orders}, query {@code dc=dc1}). The authority and the path are percent-decoded.
 *
 * <p>Stricter than grpc-go on purpose: a target that starts with a known scheme but is not a valid
 * URI is an error naming the problem, not silently sent to the default scheme; so is an empty
 * endpoint or a fragment.
 *
 * <p>Thread-safe (stateless).
 */
public final class TargetParser {

  private static final Pattern SCHEME_PREFIX = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

  private TargetParser() {}

  /**
   * Parses {@code target}.
   *
   * @param defaultScheme the scheme for targets without a known one
   * @param isKnownScheme whether a resolver serves a scheme
   * @throws IllegalArgumentException naming the target and what is wrong with it
   */
  public static Target parse(String target, String defaultScheme, Predicate<String> isKnownScheme) {
    requireNonNull(target, "target");
    requireNonNull(defaultScheme, "defaultScheme");
    requireNonNull(isKnownScheme, "isKnownScheme");
    if (target.isEmpty()) {
      throw invalid(target, "it is empty (expected: [scheme:][//authority/]endpoint)");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw invalid(target, "character 0x" + Integer.toHexString(c) + " at " + i
            + " (expected: no spaces or control characters)");
      }
    }
    var prefix = SCHEME_PREFIX.matcher(target);
    if (prefix.find() && isKnownScheme.test(prefix.group(1).toLowerCase(Locale.ROOT))) {
      URI uri;
      try {
        uri = new URI(escapeIpLiteralsInPath(target, prefix.end()));
      } catch (URISyntaxException e) {
        throw invalid(target, e.getReason() + " at index " + e.getIndex());
      }
      return fromUri(target, uri);
    }
    URI uri;
    try {
      // The multi-argument constructor quotes what a URI cannot hold ([::1]:443 in a path).
      uri = new URI(defaultScheme, "", "/" + target, null, null);
    } catch (URISyntaxException e) {
      throw invalid(target, e.getReason() + " (with default scheme " + ErrorText.quote(defaultScheme) + ")");
    }
    return Target.newBuilder(defaultScheme).endpoint(uri.getPath().substring(1)).pathAbsolute(true)
        .original(target).build();
  }

  /**
   * Percent-encodes what an IP literal in the path needs and a URI forbids there: the brackets of
   * {@code passthrough:///[::1]:80}, and a {@code %} inside them that starts no escape (the zone of
   * {@code [fe80::1%eth0]}; {@code %25eth0} works too). The path decodes back to what was written.
   * The authority keeps its brackets, where a URI allows them.
   */
  private static String escapeIpLiteralsInPath(String target, int afterScheme) {
    int start = afterScheme;
    if (target.startsWith("//", afterScheme)) {
      start += 2;
      while (start < target.length() && "/?#".indexOf(target.charAt(start)) < 0) {
        start++; // the authority
      }
    }
    int end = start;
    while (end < target.length() && "?#".indexOf(target.charAt(end)) < 0) {
      end++;
    }
    StringBuilder out = new StringBuilder(target.length() + 8).append(target, 0, start);
    boolean inBrackets = false;
    for (int i = start; i < end; i++) {
      char c = target.charAt(i);
      if (c == '[' || c == ']') {
        inBrackets = c == '[';
        out.append(c == '[' ? "%5B" : "%5D");
      } else if (c == '%' && inBrackets && !(i + 2 < end && Character.digit(target.charAt(i + 1), 16) >= 0
          && Character.digit(target.charAt(i + 2), 16) >= 0)) {
        out.append("%25");
      } else {
        out.append(c);
      }
    }
    return out.append(target, end, target.length()).toString();
  }

  private static Target fromUri(String target, URI uri) {
    if (uri.getRawFragment() != null) {
      throw invalid(target, "it has a fragment " + ErrorText.quote("#" + uri.getRawFragment())
          + " (expected: none)");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    Target.Builder parsed = Target.newBuilder(scheme).original(target);
    String path;
    if (uri.isOpaque()) {
      // scheme:path?query: an opaque URI keeps the query in its scheme-specific part.
      String raw = uri.getRawSchemeSpecificPart();
      int question = raw.indexOf('?');
      if (question >= 0) {
        parsed.query(raw.substring(question + 1));
        raw = raw.substring(0, question);
      }
      path = raw.isEmpty() ? "" : URI.create(scheme + ":" + raw).getSchemeSpecificPart();
    } else {
      if (uri.getRawAuthority() != null) {
        parsed.authority(uri.getAuthority());
      }
      path = uri.getPath() == null ? "" : uri.getPath();
      if (uri.getRawQuery() != null) {
        parsed.query(uri.getRawQuery());
      }
    }
    boolean absolute = path.startsWith("/");
    String endpoint = absolute ? path.substring(1) : path;
    if (endpoint.isEmpty()) {
      throw invalid(target, "the endpoint is empty (expected: " + scheme + "://[authority]/endpoint)");
    }
    return parsed.endpoint(endpoint).pathAbsolute(absolute).build();
  }

  private static IllegalArgumentException invalid(String target, String problem) {
    return new IllegalArgumentException("target " + ErrorText.quote(target) + ": " + problem);
  }
}
