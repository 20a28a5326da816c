package dev.switchboard.cli.internal;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads run-time plugins: each folder of a plugin path becomes one {@link ModuleLayer} over the boot
 * layer, holding every jar (modular or automatic) in the folder, resolved with service binding and
 * defined with one class loader.
 *
 * <p>A plugin in a folder can require the API module, any module of the image's boot layer and
 * other jars of its own folder; a jar of a module that the boot layer already has is ignored. A plugin that needs a JDK module outside the boot layer cannot be
 * loaded: the error names the module.
 *
 * <p>Immutable: a value of the folders and their layers, in the order given.
 */
final class PluginLayers {

  /** A plugin folder and the layer defined from it. */
  record Folder(Path path, ModuleLayer layer) {}

  private final List<Folder> folders;

  private PluginLayers(List<Folder> folders) {
    this.folders = List.copyOf(folders);
  }

  /** Returns the folders and their layers, in the order loaded. */
  List<Folder> folders() {
    return folders;
  }

  /**
   * Loads the folders of {@code pluginPath}, separated by the platform's path separator ({@code :}
   * on Linux); empty parts are skipped.
   */
  static PluginLayers load(String pluginPath) throws CliException {
    List<Folder> folders = new ArrayList<>();
    for (String part : pluginPath.split(File.pathSeparator)) {
      if (!part.isBlank()) {
        Path dir = Path.of(part.strip());
        folders.add(new Folder(dir, defineLayer(dir)));
      }
    }
    return new PluginLayers(folders);
  }

  private static ModuleLayer defineLayer(Path dir) throws CliException {
    if (!Files.isDirectory(dir)) {
      throw CliException.failure("plugin path: " + dir + " is not a directory");
    }
    try {
      ModuleFinder finder = ModuleFinder.of(dir);
      Set<String> roots = new TreeSet<>();
      for (ModuleReference ref : finder.findAll()) {
        roots.add(ref.descriptor().name());
      }
      ModuleLayer boot = ModuleLayer.boot();
      // The folder comes after the boot layer: a copy of a boot module dropped next to a plugin
      // (the API jar, typically) is ignored rather than defined again, which would give the plugin
      // a ResolverProvider type that the registry does not know.
      Configuration config = boot.configuration().resolveAndBind(ModuleFinder.of(), finder, roots);
      return boot.defineModulesWithOneLoader(config, PluginLayers.class.getClassLoader());
    } catch (FindException | ResolutionException | LayerInstantiationException e) {
      throw CliException.failure("plugin path: " + dir + ": " + oneLine(e));
    }
  }

  private static String oneLine(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      sb.append(": ").append(c.getMessage());
    }
    return sb.toString().replace('\n', ' ');
  }
}
