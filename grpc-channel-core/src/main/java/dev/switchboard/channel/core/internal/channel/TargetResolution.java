package dev.switchboard.channel.core.internal.channel;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.internal.target.TargetParser;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target string parsed, matched with its resolver provider and checked by it
 * ({@code ResolverProvider.checkTarget}), for channels, their out-of-band children and the CLI.
 *
 * <p>Immutable.
 *
 * @param target the parsed target
 * @param provider the provider of its scheme
 */
public record TargetResolution(Target target, ResolverProvider provider) {
  private static final Pattern EXPLICIT_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");

  /**
   * Parses {@code target} and finds its provider.
   *
   * <p>A target of the form {@code x://…} names its scheme unambiguously, so a scheme without a
   * resolver is a missing plugin (or a typo) and fails here, rather than being handed whole to
   * the default scheme as grpc-go would.
   *
   * @throws IllegalArgumentException naming the target and the available schemes
   */
  public static TargetResolution of(
      String target,
      String defaultScheme,
      Function<String, Optional<ResolverProvider>> providers,
      Supplier<? extends Collection<String>> availableSchemes) {
    Matcher explicit = EXPLICIT_SCHEME.matcher(target);
    if (explicit.lookingAt()) {
      String scheme = explicit.group(1).toLowerCase(Locale.ROOT);
      if (providers.apply(scheme).isEmpty()) {
        throw noResolver(target, scheme, availableSchemes);
      }
    }
    Target parsed = TargetParser.parse(target, defaultScheme, s -> providers.apply(s).isPresent());
    ResolverProvider provider =
        providers.apply(parsed.scheme())
            .orElseThrow(() -> noResolver(target, parsed.scheme(), availableSchemes));
    try {
      provider.checkTarget(parsed);
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      throw message.contains(ErrorText.quote(target))
          ? e
          : new IllegalArgumentException("target " + ErrorText.quote(target) + ": " + message, e);
    }
    return new TargetResolution(parsed, provider);
  }

  private static IllegalArgumentException noResolver(
      String target, String scheme, Supplier<? extends Collection<String>> availableSchemes) {
    return new IllegalArgumentException(
        "target " + ErrorText.quote(target) + ": no resolver for scheme " + ErrorText.quote(scheme)
            + " (available: "
            + new TreeSet<>(availableSchemes.get()) + ")");
  }
}
