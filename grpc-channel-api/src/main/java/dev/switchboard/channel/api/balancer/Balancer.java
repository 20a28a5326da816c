package dev.switchboard.channel.api.balancer;

import dev.switchboard.channel.api.Status;

/**
 * Turns resolver updates and subconn states into subconns and pickers (grpc-go's
 * {@code balancer.Balancer}).
 *
 * <h2>Threading</h2>
 *
 * <p>Not thread-safe: every method is called serially on the channel's synchronization context,
 * as are the {@link SubConnStateListener}s of its subconns. Methods must not block. Nothing is
 * called after {@link #close()}. Nothing the balancer asks of its {@link ClientConn} calls back
 * into it before the method it is in returns: subconn states and the picker it publishes are
 * queued on the synchronization context.
 *
 * <h2>Errors</h2>
 *
 * <p>Methods report problems as {@link Status} values and do not throw. A balancer that throws
 * anyway is contained: the channel logs it and moves to {@code TRANSIENT_FAILURE} with the cause.
 *
 * @param <C> the type of the policy's parsed config (see {@link BalancerProvider})
 * @since 0.1
 */
public interface Balancer<C> {

  /**
   * Takes a new resolver state, with the policy's config.
   *
   * @return {@link Status#OK} if the state is usable; otherwise why not (for example an empty
   *     address list for a policy that needs addresses), and the channel re-resolves with backoff
   */
  Status updateClientConnState(ClientConnState<C> state);

  /**
   * The resolver failed. Keep using what was there; with nothing, publish a picker that fails
   * calls with {@code error}.
   */
  void resolverError(Status error);

  /** A call or the application wants a connection: leave IDLE. Default: nothing. */
  default void exitIdle() {}

  /** Shuts down every subconn created and releases what the balancer holds. */
  void close();
}
