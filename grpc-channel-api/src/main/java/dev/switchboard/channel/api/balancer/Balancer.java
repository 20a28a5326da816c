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
 * called after {@link #close()}.
 *
 * <h2>Errors</h2>
 *
 * <p>Methods report problems as {@link Status} values and do not throw. A balancer that throws
 * anyway is contained: the channel logs it and moves to {@code TRANSIENT_FAILURE} with the cause.
 *
 * @since 0.1
 */
public interface Balancer {

  /**
   * Takes a new resolver state.
   *
   * @return {@link Status#OK} if the state is usable; otherwise why not (for example an empty
   *     address list for a policy that needs addresses), and the channel re-resolves with backoff
   */
  Status updateClientConnState(ClientConnState state);

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
