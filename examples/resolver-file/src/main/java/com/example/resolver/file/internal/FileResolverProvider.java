package com.example.resolver.file.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code file} scheme: {@code file:///abs/path} or {@code file:relative/path} (relative to the
 * working directory). The file is re-read every second and on {@code resolveNow()}; see
 * {@link FileResolver} for its format.
 *
 * <p>Thread-safe (stateless).
 */
public final class FileResolverProvider implements ResolverProvider {
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public FileResolverProvider() {}

  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public void checkTarget(Target target) {
    path(requireNonNull(target, "target"));
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    requireNonNull(target, "target");
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    FileResolver resolver = new FileResolver(path(target), clientConn, args, POLL_INTERVAL);
    resolver.start();
    return resolver;
  }

  /**
   * Returns the file named by {@code target}: {@code file:///x} and {@code file:/x} name the
   * absolute path {@code /x}, {@code file:x} the relative path {@code x}.
   */
  static Path path(Target target) {
    if (!target.authority().isEmpty()) {
      throw new IllegalArgumentException("target " + ErrorText.quote(target.original()) + ": authority "
          + ErrorText.quote(target.authority()) + " (expected: none, as in file:///path or file:path)");
    }
    if (target.endpoint().isEmpty()) {
      throw new IllegalArgumentException(
          "target " + ErrorText.quote(target.original()) + ": no file path (expected: file:///path or file:path)");
    }
    return Path.of(target.isPathAbsolute() ? "/" + target.endpoint() : target.endpoint());
  }
}
