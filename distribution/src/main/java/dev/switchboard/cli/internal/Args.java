package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed arguments of one command: flags ({@code --once}), options with a value
 * ({@code --method X} or {@code --method=X}, and the short {@code -n 10}) and positional arguments.
 * {@code --} ends the options. An option not declared by the command, a missing value, or an
 * option given twice is a usage error naming it; the plugin options ({@value #RESOLVER_OPTION},
 * {@value #BALANCER_OPTION}) may be given any number of times.
 *
 * <p>A hand-written parser rather than a library: the CLI has a handful of options, and the
 * argument libraries that are real modules (picocli) would add a dependency and reflection for
 * them.
 *
 * <p>Immutable.
 */
final class Args {
  /** Sets a resolver option, {@code NAME=VALUE}; repeatable. */
  static final String RESOLVER_OPTION = "--resolver-option";
  /** Sets a balancer option, {@code NAME=VALUE}; repeatable. */
  static final String BALANCER_OPTION = "--balancer-option";

  private static final Set<String> REPEATABLE = Set.of(RESOLVER_OPTION, BALANCER_OPTION);
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final String command;
  private final Set<String> flags;
  private final Map<String, String> options;
  private final Map<String, List<String>> repeated;
  private final List<String> positional;

  private Args(String command, Set<String> flags, Map<String, String> options,
      Map<String, List<String>> repeated, List<String> positional) {
    this.command = command;
    this.flags = Set.copyOf(flags);
    this.options = Map.copyOf(options);
    this.repeated = Map.copyOf(repeated);
    this.positional = List.copyOf(positional);
  }

  /**
   * Parses {@code argv} for {@code command}, which knows the flags {@code knownFlags} and the
   * options with a value {@code knownOptions} (names with their dashes).
   */
  static Args parse(String command, List<String> argv, Set<String> knownFlags, Set<String> knownOptions)
      throws CliException {
    requireNonNull(command, "command");
    Set<String> flags = new HashSet<>();
    Map<String, String> options = new HashMap<>();
    Map<String, List<String>> repeated = new HashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (arg.equals("--")) {
        positional.addAll(argv.subList(i + 1, argv.size()));
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (knownFlags.contains(name)) {
        if (eq >= 0) {
          throw CliException.usage(command + ": " + name + " takes no value");
        }
        if (!flags.add(name)) {
          throw CliException.usage(command + ": " + name + " given twice");
        }
      } else if (knownOptions.contains(name)) {
        String value;
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < argv.size()) {
          value = argv.get(++i);
        } else {
          throw CliException.usage(command + ": " + name + " needs a value");
        }
        if (REPEATABLE.contains(name)) {
          repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        } else if (options.put(name, value) != null) {
          throw CliException.usage(command + ": " + name + " given twice");
        }
      } else {
        Set<String> known = new TreeSet<>(knownFlags);
        known.addAll(knownOptions);
        throw CliException.usage(command + ": unknown option " + ErrorText.quote(name) + " (expected one of: "
            + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
      }
    }
    return new Args(command, flags, options, repeated, positional);
  }

  /** Returns whether {@code name} was given. */
  boolean flag(String name) {
    return flags.contains(name);
  }

  /** Returns the value of {@code name}, if given. */
  Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  /** Returns every value of the repeatable option {@code name}, in order; none if not given. */
  List<String> options(String name) {
    return repeated.getOrDefault(name, List.of());
  }

  /** Returns the positional arguments. */
  List<String> positional() {
    return positional;
  }

  /** Returns the one positional argument, called {@code what} in the error when there is not one. */
  String single(String what) throws CliException {
    if (positional.size() != 1) {
      throw CliException.usage(command + ": expected one " + what + ", got "
          + (positional.isEmpty() ? "none" : positional.size() + ": " + String.join(" ", positional)));
    }
    return positional.get(0);
  }

  /** Fails when positional arguments were given to a command that takes none. */
  void noPositional() throws CliException {
    if (!positional.isEmpty()) {
      throw CliException.usage(command + ": unexpected argument " + ErrorText.quote(positional.get(0)));
    }
  }

  /** Returns the integer value of {@code name}, or {@code dflt}; it must lie in {@code [min, max]}. */
  int intOption(String name, int dflt, int min, int max) throws CliException {
    Optional<String> raw = option(name);
    if (raw.isEmpty()) {
      return dflt;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the expected range.
    }
    throw CliException.usage(command + ": " + name + " " + raw.get() + " (expected: an integer "
        + min + "-" + max + ")");
  }

  /**
   * Returns the duration value of {@code name} ({@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}),
   * if given; it must be positive.
   */
  Optional<Duration> durationOption(String name) throws CliException {
    Optional<String> raw = option(name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(raw.get());
    Duration d = null;
    if (m.matches()) {
      try {
        long amount = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      } catch (NumberFormatException | ArithmeticException e) {
        d = null;
      }
    }
    if (d == null || d.isZero()) {
      throw CliException.usage(command + ": " + name + " " + raw.get()
          + " (expected: a positive duration such as 500ms, 2s, 1m)");
    }
    return Optional.of(d);
  }
}
