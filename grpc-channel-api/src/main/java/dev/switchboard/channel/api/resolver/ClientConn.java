package dev.switchboard.channel.api.resolver;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;

/**
 * The channel, as a resolver sees it (grpc-go's {@code resolver.ClientConn}).
 *
 * <h2>Threading</h2>
 *
 * <p>Thread-safe. Every method may be called from any thread, including inline from inside
 * {@link ResolverProvider#newResolver} and {@link Resolver#resolveNow()}, without deadlock. Calls
 * never block on the balancer: the state is handed to the channel's synchronization context.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>An empty address list is a valid update, not an error.
 *   <li>An error keeps the last good state: the channel goes on using the addresses it had.
 *   <li>After {@link #reportError} or a rejected update, the channel calls
 *       {@link Resolver#resolveNow()} with gRPC's exponential backoff until a good state arrives.
 *   <li>Nothing reported after {@link Resolver#close()} reaches the channel.
 * </ul>
 *
 * @since 0.1
 */
public interface ClientConn {

  /**
   * Hands a new state to the channel.
   *
   * @return {@link Status#OK} if the balancer accepted it; otherwise the balancer's reason, and the
   *     channel will call {@link Resolver#resolveNow()} with backoff. A resolver may ignore it. The
   *     answer is the balancer's when the channel could apply the state at once; when the channel's
   *     synchronization context is busy (on another thread, or because this is an inline call from
   *     inside a channel callback) the state is queued, the answer is OK, and a rejection is
   *     handled by the backoff alone.
   */
  Status updateState(ResolverState state);

  /**
   * Reports that resolution failed. The channel keeps the last good state (or, before the first
   * one, fails fast calls with this status) and re-resolves with backoff.
   */
  void reportError(Status error);

  /**
   * Parses a service config (the JSON object of gRPC's service config document). Never throws: a
   * broken config comes back as an error naming what is wrong.
   */
  ConfigOrError<ServiceConfig> parseServiceConfig(String json);
}
