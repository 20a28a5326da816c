package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A typed option of a resolver or balancer plugin (grpc-java's {@code NameResolver.Args} custom
 * keys), with a name, a default and a parser for its text form.
 *
 * <p>A plugin declares its options as constants in an exported class, and lists them in
 * {@code ResolverProvider.options()} or {@code BalancerProvider.options()}; the application sets
 * them on the channel builder ({@code resolverOption(DnsResolverOptions.ENABLE_GRPCLB, true)}) or,
 * from a command line, by name ({@code --resolver-option dns.enable-grpclb=true}); the channel hands
 * them to the plugin in {@code ResolverArgs} / {@code BalancerArgs}, where an option that was not
 * set reads as its default.
 *
 * <p>Options are compared by identity: two options with the same name are different options.
 * Names are lower case, dot-separated, starting with the plugin's scheme or policy.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type of the option's value
 * @since 0.1
 */
public final class PluginOption<T> {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_]+([.-][a-z0-9_]+)*");
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

  private final String name;
  private final Class<T> type;
  private final T defaultValue;
  private final Function<String, T> parser;

  private PluginOption(String name, Class<T> type, T defaultValue, Function<String, T> parser) {
    requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name: " + ErrorText.quote(name)
          + " (expected: lower-case words separated by dots, such as dns.enable-grpclb)");
    }
    this.name = name;
    this.type = requireNonNull(type, "type");
    this.defaultValue = requireNonNull(defaultValue, "defaultValue");
    this.parser = requireNonNull(parser, "parser");
  }

  /**
   * Returns an option of any type; {@code parser} turns the text form into a value and throws
   * {@link IllegalArgumentException} for text it does not take.
   */
  public static <T> PluginOption<T> create(String name, Class<T> type, T defaultValue,
      Function<String, T> parser) {
    return new PluginOption<>(name, type, defaultValue, parser);
  }

  /** Returns an option whose text form is {@code true} or {@code false}. */
  public static PluginOption<Boolean> ofBoolean(String name, boolean defaultValue) {
    return create(name, Boolean.class, defaultValue, text -> {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "true":
          return true;
        case "false":
          return false;
        default:
          throw new IllegalArgumentException("expected: true or false");
      }
    });
  }

  /** Returns an option whose text form is {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601. */
  public static PluginOption<Duration> ofDuration(String name, Duration defaultValue) {
    return create(name, Duration.class, defaultValue, PluginOption::parseDuration);
  }

  /** Returns an option whose text form is the string itself. */
  public static PluginOption<String> ofString(String name, String defaultValue) {
    return create(name, String.class, defaultValue, Function.identity());
  }

  /** Returns the option's name, as on a command line. */
  public String name() {
    return name;
  }

  /** Returns the type of its values. */
  public Class<T> type() {
    return type;
  }

  /** Returns the value when the option is not set. */
  public T defaultValue() {
    return defaultValue;
  }

  /**
   * Parses the text form of a value.
   *
   * @throws IllegalArgumentException naming the option, the text (quoted, cut to a readable length)
   *     and what was expected
   */
  public T parse(String text) {
    requireNonNull(text, "text");
    T value;
    try {
      value = parser.apply(text.trim());
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException("option " + name + ": " + ErrorText.quote(text) + " ("
          + (e.getMessage() == null ? "expected: a " + type.getSimpleName() : e.getMessage()) + ")", e);
    }
    if (value == null) {
      throw new IllegalArgumentException("option " + name + ": " + ErrorText.quote(text) + " gives no value");
    }
    return value;
  }

  /**
   * Checks that {@code value} is of this option's type, for values that come through raw types.
   *
   * @throws IllegalArgumentException naming the option and the value's type
   */
  public T cast(Object value) {
    requireNonNull(value, name);
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException("option " + name + ": a " + value.getClass().getName()
          + " (expected: a " + type.getName() + ")");
    }
    return type.cast(value);
  }

  @Override
  public String toString() {
    return name;
  }

  private static Duration parseDuration(String text) {
    Matcher m = SHORT_DURATION.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        default:
          return Duration.ofHours(amount);
      }
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected: a duration such as 250ms, 5s, 2m, 1h or PT5S");
    }
  }
}
