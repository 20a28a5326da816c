package dev.switchboard.channel.api.balancer;

/**
 * Hears the state changes of one {@link SubConn}.
 *
 * <p>Not thread-safe: called serially on the channel's synchronization context, never after the
 * balancer has been closed, and never for a subconn after it has been shut down except for the
 * final {@code SHUTDOWN}, which is not delivered.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SubConnStateListener {

  /** The subconn moved to {@code state}. Must not block or throw. */
  void onSubConnState(SubConnState state);
}
