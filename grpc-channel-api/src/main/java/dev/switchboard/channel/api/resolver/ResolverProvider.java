package dev.switchboard.channel.api.resolver;

import dev.switchboard.channel.api.PluginOption;
import java.util.List;

/**
 * Creates resolvers for one target scheme; the JPMS service through which the channel finds
 * resolvers (grpc-go's {@code resolver.Builder}).
 *
 * <p>Declare an implementation with {@code provides dev.switchboard.channel.api.resolver.ResolverProvider
 * with …} in {@code module-info.java} and in {@code META-INF/services}, so it is found on the module
 * path and on the class path. When several providers serve one scheme, the available one with the
 * highest {@link #priority()} wins.
 *
 * <p>Thread-safe: one provider instance serves every channel.
 *
 * @since 0.1
 */
public interface ResolverProvider {

  /** Returns the scheme served, lower case ({@code dns}, {@code zk}, {@code consul}). */
  String scheme();

  /** Returns the priority, 0 to 10; the highest available provider for a scheme wins. Default: 5. */
  default int priority() {
    return 5;
  }

  /**
   * Returns the options this provider reads from its {@code ResolverArgs}, so that tools can list them
   * and set them by name. Default: none.
   */
  default List<PluginOption<?>> options() {
    return List.of();
  }

  /** Returns whether this provider can work in this runtime. Default: true. */
  default boolean isAvailable() {
    return true;
  }

  /**
   * Checks that {@code target} is well-formed for this scheme, without resolving or starting
   * anything. The channel calls it when it is built, so that a malformed target fails construction
   * although the resolver itself is created only when the channel first leaves idle. Default:
   * accepts every target.
   *
   * @throws IllegalArgumentException if the target is malformed; the message names the target and
   *     the part that is wrong, as {@link #newResolver} would
   */
  default void checkTarget(Target target) {}

  /**
   * Creates and starts a resolver for {@code target}. The resolver reports to {@code clientConn}
   * from any thread, possibly inline before this method returns.
   *
   * @throws IllegalArgumentException if the target is malformed for this scheme; the message names
   *     the part that is wrong, and the channel fails construction with it
   */
  Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args);
}
