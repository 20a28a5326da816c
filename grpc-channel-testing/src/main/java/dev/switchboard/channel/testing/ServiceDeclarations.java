package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The service providers a compiled module declares, read from its {@code module-info.class}
 * ({@code provides … with …}) and from its {@code META-INF/services} files, so that a test can check
 * that the two agree: a plugin must be found on the module path and on the class path alike.
 *
 * <pre>{@code
 * ServiceDeclarations.of(MyResolverProvider.class).assertAgree();
 * }</pre>
 *
 * <p>The module is read from a directory of classes ({@code target/classes}) or a jar, never from
 * the running module graph, so the check also holds for code that runs on the class path.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ServiceDeclarations {

  private static final String SERVICES_DIR = "META-INF/services/";

  private final Path location;
  private final String moduleName;
  private final Map<String, Set<String>> provides;
  private final Map<String, Set<String>> serviceFiles;

  private ServiceDeclarations(
      Path location, String moduleName, Map<String, Set<String>> provides,
      Map<String, Set<String>> serviceFiles) {
    this.location = location;
    this.moduleName = moduleName;
    this.provides = provides;
    this.serviceFiles = serviceFiles;
  }

  /**
   * Reads the declarations of the module that holds {@code classOfModule}, found through the
   * class's {@link CodeSource} (the directory or jar it was loaded from).
   *
   * @throws IllegalArgumentException if the class has no code source on the file system
   * @throws AssertionError if that location has no {@code module-info.class}
   */
  public static ServiceDeclarations of(Class<?> classOfModule) {
    requireNonNull(classOfModule, "classOfModule");
    CodeSource source = classOfModule.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new IllegalArgumentException(
          "class " + classOfModule.getName() + " has no code source (expected: loaded from a directory or jar)");
    }
    try {
      return read(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "class " + classOfModule.getName() + ": bad code source " + source.getLocation(), e);
    }
  }

  /**
   * Reads the declarations of the module in {@code directoryOrJar}.
   *
   * @throws AssertionError if it has no {@code module-info.class}
   * @throws UncheckedIOException if it cannot be read
   */
  public static ServiceDeclarations read(Path directoryOrJar) {
    requireNonNull(directoryOrJar, "directoryOrJar");
    try {
      return Files.isDirectory(directoryOrJar) ? readDirectory(directoryOrJar) : readJar(directoryOrJar);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + directoryOrJar, e);
    }
  }

  private static ServiceDeclarations readDirectory(Path dir) throws IOException {
    Path descriptor = dir.resolve("module-info.class");
    if (!Files.isRegularFile(descriptor)) {
      throw noDescriptor(dir);
    }
    ModuleDescriptor md;
    try (InputStream in = Files.newInputStream(descriptor)) {
      md = ModuleDescriptor.read(in);
    }
    Map<String, Set<String>> files = new TreeMap<>();
    Path services = dir.resolve(SERVICES_DIR);
    if (Files.isDirectory(services)) {
      try (Stream<Path> list = Files.list(services)) {
        for (Path f : (Iterable<Path>) list.filter(Files::isRegularFile).sorted()::iterator) {
          files.put(f.getFileName().toString(), parseServicesFile(Files.readString(f, StandardCharsets.UTF_8)));
        }
      }
    }
    return new ServiceDeclarations(dir, md.name(), providesOf(md), Collections.unmodifiableMap(files));
  }

  private static ServiceDeclarations readJar(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry descriptor = zip.getEntry("module-info.class");
      if (descriptor == null) {
        throw noDescriptor(jar);
      }
      ModuleDescriptor md;
      try (InputStream in = zip.getInputStream(descriptor)) {
        md = ModuleDescriptor.read(in);
      }
      Map<String, Set<String>> files = new TreeMap<>();
      for (ZipEntry e : Collections.list(zip.entries())) {
        String name = e.getName();
        if (!e.isDirectory() && name.startsWith(SERVICES_DIR) && name.indexOf('/', SERVICES_DIR.length()) < 0) {
          try (InputStream in = zip.getInputStream(e)) {
            files.put(name.substring(SERVICES_DIR.length()),
                parseServicesFile(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
          }
        }
      }
      return new ServiceDeclarations(jar, md.name(), providesOf(md), Collections.unmodifiableMap(files));
    }
  }

  private static AssertionError noDescriptor(Path location) {
    return new AssertionError("no module-info.class in " + location
        + " (expected: a module descriptor that declares its providers with 'provides … with …')");
  }

  private static Map<String, Set<String>> providesOf(ModuleDescriptor md) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (ModuleDescriptor.Provides p : md.provides()) {
      out.put(p.service(), Collections.unmodifiableSet(new LinkedHashSet<>(p.providers())));
    }
    return Collections.unmodifiableMap(out);
  }

  // The format of java.util.ServiceLoader: one class name a line, '#' starts a comment.
  private static Set<String> parseServicesFile(String content) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : content.split("\r?\n|\r")) {
      int hash = line.indexOf('#');
      String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /** Returns the directory or jar read. */
  public Path location() {
    return location;
  }

  /** Returns the module's name. */
  public String moduleName() {
    return moduleName;
  }

  /** Returns the {@code provides} of the descriptor: service name to provider class names. */
  public Map<String, Set<String>> moduleProvides() {
    return provides;
  }

  /** Returns the {@code META-INF/services} files: service name to provider class names. */
  public Map<String, Set<String>> serviceFiles() {
    return serviceFiles;
  }

  /** Returns every disagreement between the descriptor and the services files, one per line; empty if none. */
  public List<String> mismatches() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : provides.entrySet()) {
      Set<String> listed = serviceFiles.getOrDefault(e.getKey(), Set.of());
      for (String provider : e.getValue()) {
        if (!listed.contains(provider)) {
          out.add("module-info provides " + e.getKey() + " with " + provider + ", but "
              + SERVICES_DIR + e.getKey() + (serviceFiles.containsKey(e.getKey()) ? " does not list it" : " is missing"));
        }
      }
    }
    for (Map.Entry<String, Set<String>> e : serviceFiles.entrySet()) {
      Set<String> declared = provides.getOrDefault(e.getKey(), Set.of());
      for (String provider : e.getValue()) {
        if (!declared.contains(provider)) {
          out.add(SERVICES_DIR + e.getKey() + " lists " + provider + ", but module-info has no 'provides "
              + e.getKey() + " with " + provider + "'");
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Fails unless the descriptor's {@code provides} and the {@code META-INF/services} files declare
   * exactly the same providers.
   *
   * @throws AssertionError listing every mismatch
   */
  public void assertAgree() {
    List<String> m = mismatches();
    if (!m.isEmpty()) {
      throw new AssertionError("module " + moduleName + " (" + location
          + ") declares its services differently in module-info and META-INF/services:\n  "
          + String.join("\n  ", m));
    }
  }

  /**
   * Fails unless {@code provider} is declared as a provider of {@code service} both in the
   * descriptor and in {@code META-INF/services}, and the two agree on everything else.
   *
   * @throws AssertionError naming what is missing
   */
  public void assertDeclares(Class<?> service, Class<?> provider) {
    requireNonNull(service, "service");
    requireNonNull(provider, "provider");
    List<String> missing = new ArrayList<>();
    if (!provides.getOrDefault(service.getName(), Set.of()).contains(provider.getName())) {
      missing.add("module-info has no 'provides " + service.getName() + " with " + provider.getName() + "'");
    }
    if (!serviceFiles.getOrDefault(service.getName(), Set.of()).contains(provider.getName())) {
      missing.add(SERVICES_DIR + service.getName() + " does not list " + provider.getName());
    }
    missing.addAll(mismatches());
    if (!missing.isEmpty()) {
      throw new AssertionError("module " + moduleName + " (" + location + ") does not declare "
          + provider.getName() + " as a " + service.getSimpleName() + " everywhere:\n  "
          + String.join("\n  ", missing));
    }
  }

  @Override
  public String toString() {
    return "ServiceDeclarations{" + moduleName + " at " + location + ", provides=" + provides
        + ", services=" + serviceFiles + "}";
  }
}
