package dev.switchboard.cli.internal;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.PluginRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code --resolver-option NAME=VALUE} and {@code --balancer-option NAME=VALUE} of a command
 * line, parsed against the options that the plugins found declare
 * ({@code ResolverProvider.options()}, {@code BalancerProvider.options()}): an unknown name lists
 * the known ones, a bad value names the option and what it expects.
 *
 * <p>Immutable.
 */
final class PluginOptionArgs {
  private final PluginOptions resolverOptions;
  private final PluginOptions balancerOptions;

  private PluginOptionArgs(PluginOptions resolverOptions, PluginOptions balancerOptions) {
    this.resolverOptions = resolverOptions;
    this.balancerOptions = balancerOptions;
  }

  /** Parses the plugin options of {@code args} against the providers of {@code registry}. */
  static PluginOptionArgs parse(String command, Args args, PluginRegistry registry) throws CliException {
    return new PluginOptionArgs(
        parse(command, Args.RESOLVER_OPTION, args.options(Args.RESOLVER_OPTION), byName(resolverOptions(registry))),
        parse(command, Args.BALANCER_OPTION, args.options(Args.BALANCER_OPTION), byName(balancerOptions(registry))));
  }

  /** Returns the options every available resolver provider declares. */
  static List<PluginOption<?>> resolverOptions(PluginRegistry registry) {
    return registry.schemes().stream().flatMap(s -> registry.resolverProvider(s).stream())
        .flatMap(p -> p.options().stream()).collect(Collectors.toList());
  }

  /** Returns the options every available balancer provider declares. */
  static List<PluginOption<?>> balancerOptions(PluginRegistry registry) {
    return registry.policies().stream().flatMap(s -> registry.balancerProvider(s).stream())
        .flatMap(p -> p.options().stream()).collect(Collectors.toList());
  }

  /** Sets the options on {@code builder}. */
  void applyTo(ChannelBuilder builder) {
    builder.resolverOptions(resolverOptions).balancerOptions(balancerOptions);
  }

  /** Returns the resolver options given. */
  PluginOptions resolverOptions() {
    return resolverOptions;
  }

  private static <T> void set(PluginOptions.Builder options, PluginOption<T> option, String text) {
    options.set(option, option.parse(text));
  }

  private static Map<String, PluginOption<?>> byName(Collection<PluginOption<?>> options) {
    Map<String, PluginOption<?>> byName = new TreeMap<>();
    options.forEach(o -> byName.putIfAbsent(o.name(), o));
    return byName;
  }

  private static PluginOptions parse(String command, String flag, List<String> values,
      Map<String, PluginOption<?>> known) throws CliException {
    PluginOptions.Builder parsed = PluginOptions.newBuilder();
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage(command + ": " + flag + " " + ErrorText.quote(value)
            + " (expected: NAME=VALUE)");
      }
      String name = value.substring(0, eq);
      PluginOption<?> option = known.get(name);
      if (option == null) {
        throw CliException.usage(command + ": " + flag + " " + ErrorText.quote(name) + " is no option of the"
            + " plugins found (expected one of: " + (known.isEmpty() ? "none" : String.join(", ", known.keySet()))
            + ")");
      }
      try {
        set(parsed, option, value.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw CliException.usage(command + ": " + flag + " " + e.getMessage());
      }
    }
    return parsed.build();
  }
}
