package dev.switchboard.channel.api.resolver;

/**
 * A service config parsed by the channel. Resolvers get one from
 * {@link ClientConn#parseServiceConfig(String)} and hand it back in a {@link ResolverState}; its
 * content is the channel's business.
 *
 * <p>Implementations are immutable.
 *
 * @since 0.1
 */
public interface ServiceConfig {

  /** Returns the JSON the config was parsed from. */
  String json();
}
