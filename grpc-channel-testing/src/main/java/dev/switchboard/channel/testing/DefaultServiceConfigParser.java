package dev.switchboard.channel.testing;

import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.core.internal.config.ServiceConfigParser;

/**
 * The service config parser of a channel with the default plugins, loaded on first use only (a
 * test that parses nothing does not pay for the {@link java.util.ServiceLoader} scan).
 */
final class DefaultServiceConfigParser {
  static final ServiceConfigParser INSTANCE = new ServiceConfigParser(PluginRegistry.loadDefault());

  private DefaultServiceConfigParser() {}
}
