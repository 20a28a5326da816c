package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;

/**
 * How a picked call ended, for load reports (grpclb's client stats).
 *
 * <p>Immutable; do not mutate the trailers.
 *
 * @param status the call's final status
 * @param trailers the trailers received (empty if none)
 * @param sentToServer whether the call's stream was started on the connection
 * @param receivedFromServer whether the server sent response headers
 * @since 0.1
 */
public record DoneInfo(Status status, Metadata trailers, boolean sentToServer, boolean receivedFromServer) {

  /** Checks the components. */
  public DoneInfo {
    requireNonNull(status, "status");
    requireNonNull(trailers, "trailers");
  }
}
