package dev.switchboard.channel.api;

/**
 * The connectivity state of a subchannel or of a whole channel, as in gRPC's connectivity
 * semantics document.
 *
 * <p>Immutable.
 *
 * @since 0.1
 */
public enum ConnectivityState {
  /** Not connected and not trying; a call or {@code connect()} wakes it up. */
  IDLE,
  /** Trying to connect. */
  CONNECTING,
  /** Connected and able to carry calls. */
  READY,
  /** The last attempt failed; waiting for backoff before the next one. */
  TRANSIENT_FAILURE,
  /** Shut down; it never leaves this state. */
  SHUTDOWN
}
