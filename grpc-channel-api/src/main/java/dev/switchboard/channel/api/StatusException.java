package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception of the application API: a {@link Status} that is not OK, with the
 * trailers the server sent.
 *
 * <p>Thread-safe once thrown: do not mutate the trailers after construction.
 *
 * @since 0.1
 */
public final class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final transient Metadata trailers;

  /** Creates an exception for {@code status} and {@code trailers}. */
  public StatusException(Status status, Metadata trailers) {
    super(status.toString(), status.cause().orElse(null));
    this.status = requireNonNull(status, "status");
    this.trailers = requireNonNull(trailers, "trailers");
  }

  /** Returns the status. */
  public Status status() {
    return status;
  }

  /** Returns the trailers that came with the status (empty when there were none). */
  public Metadata trailers() {
    return trailers;
  }
}
