package dev.switchboard.cli.internal;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.core.PluginInfo;
import dev.switchboard.channel.core.PluginRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code switchboard plugins [--check-defaults]}: the resolver schemes and balancer policies found,
 * one row per provider, with the one selected for each name marked; and, with
 * {@code --check-defaults}, a failure when the image's default scheme or policy has no available
 * provider (the image build runs this).
 *
 * <p>Not thread-safe: runs once on the main thread.
 */
final class PluginsCommand {
  private final PluginRegistry registry;
  private final PluginLayers layers;
  private final ImageDefaults defaults;

  PluginsCommand(PluginRegistry registry, PluginLayers layers, ImageDefaults defaults) {
    this.registry = registry;
    this.layers = layers;
    this.defaults = defaults;
  }

  /** Prints the table to {@code out}; with {@code checkDefaults}, fails on a default with no provider. */
  void run(PrintStream out, boolean checkDefaults) throws CliException {
    out.print(table());
    out.print(options());
    out.println("default scheme: " + defaults.defaultScheme().orElse("the channel's")
        + ", default policy: " + defaults.defaultPolicy().orElse("the channel's"));
    if (checkDefaults) {
      check();
    }
  }

  /** Returns the table of every provider found, resolvers first. */
  String table() {
    Table table = new Table(
        "KIND", "NAME", "MODULE", "VERSION", "PRIORITY", "AVAILABLE", "ORIGIN", "SELECTED");
    List<PluginInfo> all = new ArrayList<>(registry.resolvers());
    all.addAll(registry.balancers());
    for (PluginInfo p : all) {
      table.add(p.kind() == PluginInfo.Kind.RESOLVER ? "resolver" : "balancer", p.name(), p.module(),
          p.version().isEmpty() ? "-" : p.version(), Integer.toString(p.priority()),
          p.available() ? "yes" : "no", origin(p.origin()), p.selected() ? "*" : "");
    }
    return all.isEmpty() ? "no resolver or balancer found\n" : table.render();
  }

  /** Returns the options the plugins declare, one line each, or nothing when none does. */
  String options() {
    StringBuilder text = new StringBuilder();
    for (PluginOption<?> o : PluginOptionArgs.resolverOptions(registry)) {
      text.append("  --resolver-option ").append(describe(o)).append('\n');
    }
    for (PluginOption<?> o : PluginOptionArgs.balancerOptions(registry)) {
      text.append("  --balancer-option ").append(describe(o)).append('\n');
    }
    return text.length() == 0 ? "" : "plugin options:\n" + text;
  }

  private static String describe(PluginOption<?> option) {
    return option.name() + "=<" + option.type().getSimpleName().toLowerCase(java.util.Locale.ROOT)
        + "> (default " + option.defaultValue() + ")";
  }

  private void check() throws CliException {
    Optional<String> scheme = defaults.defaultScheme();
    if (scheme.isPresent() && registry.resolverProvider(scheme.get()).isEmpty()) {
      throw CliException.failure("default scheme " + ErrorText.quote(scheme.get())
          + " has no available resolver (schemes: " + names(registry.schemes()) + ")");
    }
    Optional<String> policy = defaults.defaultPolicy();
    if (policy.isPresent() && registry.balancerProvider(policy.get()).isEmpty()) {
      throw CliException.failure("default policy " + ErrorText.quote(policy.get())
          + " has no available balancer (policies: " + names(registry.policies()) + ")");
    }
  }

  /** Adds the folder to a plugin layer's origin, which the registry numbers from 1. */
  private String origin(String origin) {
    String prefix = "plugin layer ";
    if (origin.startsWith(prefix)) {
      try {
        int n = Integer.parseInt(origin.substring(prefix.length()));
        if (n >= 1 && n <= layers.folders().size()) {
          return origin + " (" + layers.folders().get(n - 1).path() + ")";
        }
      } catch (NumberFormatException e) {
        return origin;
      }
    }
    return origin;
  }

  static String names(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
