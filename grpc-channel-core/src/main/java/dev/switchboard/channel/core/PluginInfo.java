package dev.switchboard.channel.core;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link PluginRegistry} knows about one provider: for {@code switchboard plugins} and for
 * error messages.
 *
 * <p>Immutable.
 *
 * @param kind resolver or balancer
 * @param name the scheme or policy name served
 * @param providerClass the provider's class name
 * @param module the provider's module name, or {@code "unnamed"} for the class path
 * @param version the module's version, or empty when it has none
 * @param priority the provider's priority, 0 to 10
 * @param available whether {@code isAvailable()} said yes
 * @param origin where the provider came from: {@code "builder"}, {@code "boot layer"},
 *     {@code "class path"} or {@code "plugin layer N"}
 * @param selected whether this provider is the one used for its name
 * @since 0.1
 */
public record PluginInfo(
    Kind kind,
    String name,
    String providerClass,
    String module,
    String version,
    int priority,
    boolean available,
    String origin,
    boolean selected) {

  /**
   * The two kinds of plugin.
   *
   * @since 0.1
   */
  public enum Kind {
    /** A {@code ResolverProvider}, named by scheme. */
    RESOLVER,
    /** A {@code BalancerProvider}, named by policy. */
    BALANCER
  }

  /** Checks the components. */
  public PluginInfo {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(providerClass, "providerClass");
    requireNonNull(module, "module");
    requireNonNull(version, "version");
    requireNonNull(origin, "origin");
  }
}
