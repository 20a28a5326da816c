package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.internal.target.TargetParser;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses target strings exactly as the channel does, so that a plugin's tests build the very
 * {@link Target} its provider will get: {@code Targets.parse("file:///etc/backends?watch=true")}.
 *
 * <p>Thread-safe (stateless).
 *
 * @since 0.1
 */
public final class Targets {

  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

  private Targets() {}

  /**
   * Parses {@code target} as a channel with a resolver for the scheme it starts with would; a
   * target without one gets the {@code dns} scheme, as a channel with the DNS resolver gives it.
   *
   * @throws IllegalArgumentException naming the target and what is wrong with it, as the channel's
   *     builder would
   */
  public static Target parse(String target) {
    requireNonNull(target, "target");
    Matcher scheme = SCHEME.matcher(target);
    return parse(target, "dns",
        scheme.find() ? Set.of(scheme.group(1).toLowerCase(Locale.ROOT)) : Set.of());
  }

  /**
   * Parses {@code target} as a channel would whose resolvers serve {@code knownSchemes} and whose
   * default scheme is {@code defaultScheme}.
   *
   * @throws IllegalArgumentException naming the target and what is wrong with it
   */
  public static Target parse(String target, String defaultScheme, Set<String> knownSchemes) {
    requireNonNull(knownSchemes, "knownSchemes");
    return TargetParser.parse(target, defaultScheme, knownSchemes::contains);
  }
}
