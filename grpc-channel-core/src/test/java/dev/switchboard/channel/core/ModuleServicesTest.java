package dev.switchboard.channel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Core's {@code provides} and its {@code META-INF/services} files must declare the same providers. */
class ModuleServicesTest {
  private static final Path SERVICES = Path.of("src/main/resources/META-INF/services");
  private static final Path MODULE_INFO = Path.of("src/main/java/module-info.java");

  @Test
  void moduleInfoProvidesMatchMetaInfServices() throws IOException {
    Map<String, Set<String>> fromServiceFiles = new TreeMap<>();
    try (Stream<Path> files = Files.list(SERVICES)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Set<String> impls = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
          String entry = line.replaceAll("#.*", "").trim();
          if (!entry.isEmpty()) {
            impls.add(entry);
          }
        }
        fromServiceFiles.put(file.getFileName().toString(), impls);
      }
    }

    Map<String, Set<String>> fromModuleInfo = new TreeMap<>();
    String source = Files.readString(MODULE_INFO).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//.*", "");
    Matcher m = Pattern.compile("provides\\s+([\\w.]+)\\s+with\\s+([\\w.,\\s]+);").matcher(source);
    while (m.find()) {
      Set<String> impls = fromModuleInfo.computeIfAbsent(m.group(1), k -> new TreeSet<>());
      for (String impl : m.group(2).split(",")) {
        impls.add(impl.trim());
      }
    }

    assertThat(fromModuleInfo).isNotEmpty().isEqualTo(fromServiceFiles);
    // When the tests run on the module path, the compiled descriptor says the same.
    ModuleDescriptor descriptor = ChannelBuilder.class.getModule().getDescriptor();
    if (descriptor != null) {
      Map<String, Set<String>> compiled = new TreeMap<>();
      for (ModuleDescriptor.Provides p : descriptor.provides()) {
        compiled.put(p.service(), new TreeSet<>(p.providers()));
      }
      assertThat(compiled).isEqualTo(fromModuleInfo);
    }
  }
}
