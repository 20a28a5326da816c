/**
 * The name-resolver SPI: how a channel turns a target into addresses and a service config.
 *
 * <p>A {@link dev.switchboard.channel.api.resolver.ResolverProvider} (a JPMS service) creates a
 * {@link dev.switchboard.channel.api.resolver.Resolver} for a
 * {@link dev.switchboard.channel.api.resolver.Target}; the resolver reports
 * {@link dev.switchboard.channel.api.resolver.ResolverState}s and errors to the channel through a
 * {@link dev.switchboard.channel.api.resolver.ClientConn}, which is thread-safe and may be called
 * inline. The rules every resolver can rely on are on {@code ClientConn}.
 *
 * @since 0.1
 */
package dev.switchboard.channel.api.resolver;
