package dev.switchboard.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * The defaults baked into the CLI when the image was built ({@code -Dswitchboard.defaultScheme},
 * {@code -Dswitchboard.defaultPolicy}): the scheme given to targets without one and the policy used
 * when the service config names none. An empty value means the channel's own default.
 *
 * <p>Immutable.
 *
 * @param scheme the default scheme, or empty
 * @param policy the default policy, or empty
 */
record ImageDefaults(String scheme, String policy) {

  /** Defaults that leave everything to the channel. */
  static final ImageDefaults NONE = new ImageDefaults("", "");

  /** Reads the defaults from this module's {@code image.properties}. */
  static ImageDefaults load() {
    Properties p = new Properties();
    try (InputStream in = ImageDefaults.class.getResourceAsStream("image.properties")) {
      if (in == null) {
        return NONE;
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading image.properties", e);
    }
    return new ImageDefaults(
        p.getProperty("default.scheme", "").strip(), p.getProperty("default.policy", "").strip());
  }

  /** Returns the configured default scheme, if any. */
  Optional<String> defaultScheme() {
    return scheme.isEmpty() ? Optional.empty() : Optional.of(scheme);
  }

  /** Returns the configured default policy, if any. */
  Optional<String> defaultPolicy() {
    return policy.isEmpty() ? Optional.empty() : Optional.of(policy);
  }
}
