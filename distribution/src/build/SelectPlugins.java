import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build step of the image (run by the distribution pom as a single-file program): maps the plugin
 * names of {@code -Dswitchboard.plugins} to module names and prints the image's root modules, the
 * CLI first, comma-separated.
 *
 * <p>A plugin named {@code kind-name} (its Maven artifactId) is the module
 * {@code dev.switchboard.kind.name}; it must be in the module folder, that is a runtime dependency
 * of the distribution. A name that breaks the rule or has no module fails the build with a message
 * that lists the plugins that can be chosen. A jar of the folder without a module descriptor fails
 * it too, naming the jar, before jlink would refuse it as an automatic module.
 *
 * <p>When a chosen plugin needs SLF4J (module {@code org.slf4j} in the {@code requires} closure of
 * the plugins, static ones left out), the folder's SLF4J provider (the module that provides {@code
 * org.slf4j.spi.SLF4JServiceProvider}) is a root too: jlink binds no service, and without a provider
 * SLF4J 2 prints a warning on stderr in every command (Netty tries SLF4J first as soon as it can
 * read it). None, or more than one, fails the build, naming them.
 *
 * <p>Usage: {@code java SelectPlugins.java <module folder> <plugin,plugin,...>}
 */
public final class SelectPlugins {
  private static final String SLF4J = "org.slf4j";
  private static final String SLF4J_PROVIDER = "org.slf4j.spi.SLF4JServiceProvider";
  private static final Pattern PLUGIN_NAME = Pattern.compile("(resolver|balancer)-([a-z][a-z0-9]*)");
  private static final Pattern PLUGIN_MODULE =
      Pattern.compile("dev\\.switchboard\\.(resolver|balancer)\\.([a-z][a-z0-9]*)");

  public static void main(String[] args) {
    if (args.length != 2) {
      fail("usage: SelectPlugins <module folder> <plugin,plugin,...>");
    }
    Set<String> available = new TreeSet<>();
    Set<String> automatic = new TreeSet<>();
    Map<String, ModuleDescriptor> folder = new HashMap<>();
    for (ModuleReference ref : ModuleFinder.of(Path.of(args[0])).findAll()) {
      folder.put(ref.descriptor().name(), ref.descriptor());
      if (ref.descriptor().isAutomatic()) {
        automatic.add(ref.location().map(l -> Path.of(l).getFileName().toString()).orElse("?")
            + " (" + ref.descriptor().name() + ")");
      }
      Matcher m = PLUGIN_MODULE.matcher(ref.descriptor().name());
      if (m.matches()) {
        available.add(m.group(1) + "-" + m.group(2));
      }
    }
    if (!automatic.isEmpty()) {
      fail("jlink takes no automatic module, and these jars have no module descriptor: "
          + String.join(", ", automatic) + " (give each one with moditect add-module-info, as"
          + " distribution/README.md describes)");
    }
    List<String> roots = new ArrayList<>(List.of("dev.switchboard.cli"));
    for (String raw : args[1].split(",")) {
      String name = raw.strip();
      if (name.isEmpty()) {
        continue;
      }
      Matcher m = PLUGIN_NAME.matcher(name);
      if (!m.matches()) {
        fail("switchboard.plugins: '" + name + "' is not a plugin name (expected: resolver-<name> or"
            + " balancer-<name>; available: " + describe(available) + ")");
      }
      if (!available.contains(name)) {
        fail("switchboard.plugins: no plugin module '" + name + "' (available: "
            + describe(available) + "; a new plugin must be a runtime dependency of distribution)");
      }
      String module = "dev.switchboard." + m.group(1) + "." + m.group(2);
      if (!roots.contains(module)) {
        roots.add(module);
      }
    }
    if (closure(roots, folder).contains(SLF4J)) {
      Set<String> providers = new TreeSet<>();
      for (ModuleDescriptor d : folder.values()) {
        if (d.provides().stream().anyMatch(p -> p.service().equals(SLF4J_PROVIDER))) {
          providers.add(d.name());
        }
      }
      if (providers.size() != 1) {
        fail("switchboard.plugins: the chosen plugins need " + SLF4J + ", and the module folder holds "
            + (providers.isEmpty() ? "no SLF4J provider" : "more than one SLF4J provider: " + providers)
            + " (expected: exactly one, such as slf4j-nop, as a runtime dependency of distribution)");
      }
      roots.addAll(providers);
    }
    System.out.print(String.join(",", roots));
  }

  /**
   * Returns the modules of {@code folder} that {@code roots} need, through {@code requires} that
   * are not static; modules that are not in the folder (the JDK's) are followed no further.
   */
  private static Set<String> closure(List<String> roots, Map<String, ModuleDescriptor> folder) {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      ModuleDescriptor d = folder.get(name);
      if (d == null || !seen.add(name)) {
        continue;
      }
      for (ModuleDescriptor.Requires r : d.requires()) {
        if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
          todo.push(r.name());
        }
      }
    }
    return seen;
  }

  private static String describe(Set<String> available) {
    return available.isEmpty() ? "none" : String.join(", ", available);
  }

  private static void fail(String message) {
    System.err.print(message);
    System.exit(1);
  }
}
