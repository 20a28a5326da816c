package com.example.resolver.file.internal;

import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.testing.ResolverProviderContractTest;
import dev.switchboard.channel.testing.Targets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The file resolver meets the contract of every resolver provider (the testing kit's). */
class FileResolverProviderContractTest extends ResolverProviderContractTest {
  private static final Path BACKENDS = backends();

  private static Path backends() {
    try {
      Path file = Files.createTempFile("file-resolver-contract", ".txt");
      file.toFile().deleteOnExit();
      Files.writeString(file, "127.0.0.1:50051\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected ResolverProvider provider() {
    return new FileResolverProvider();
  }

  @Override
  protected Target validTarget() {
    String path = BACKENDS.toAbsolutePath().toString().substring(1);
    return Targets.parse("file:///" + path);
  }

  @Override
  protected Optional<Target> invalidTarget() {
    return Optional.of(Targets.parse("file://host/x"));
  }
}
