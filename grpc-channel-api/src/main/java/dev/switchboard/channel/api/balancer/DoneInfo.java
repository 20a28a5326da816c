package dev.switchboard.channel.api.balancer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import java.util.Objects;

/**
 * How one pick ended, given to {@link PickListener#onDone}: the status, the trailers, and how far
 * the call got on that pick's stream, for load reports (grpclb's client stats) and in-flight
 * counts. There is one for every {@link PickResult.Complete} a picker returned, including the picks
 * of one call that were not used, so a call picked three times ends three picks; it may arrive
 * after the balancer is closed.
 *
 * <ul>
 *   <li>{@link #started()}: the channel started a stream for this pick ({@link
 *       PickListener#onStarted} was called). {@code false} for a pick the channel did not use; then
 *       {@link #status()} says why (for example {@code UNAVAILABLE}: the subconn is no longer
 *       {@code READY}) and the other flags are {@code false}.
 *   <li>{@link #sentToServer()}: the stream reached the server (it was not refused before the
 *       server saw it); {@code false} is grpclb's "finished with client failed to send".
 *   <li>{@link #receivedFromServer()}: the server sent response headers; grpclb's "finished known
 *       received".
 * </ul>
 *
 * <p>Immutable; do not change the trailers. New fields may be added: build values with
 * {@link #newBuilder(Status)} or {@link #notStarted(Status)}.
 *
 * @since 0.1
 */
public final class DoneInfo {
  private final Status status;
  private final Metadata trailers;
  private final boolean started;
  private final boolean sentToServer;
  private final boolean receivedFromServer;

  private DoneInfo(Builder b) {
    this.status = b.status;
    this.trailers = b.trailers;
    this.started = b.started;
    this.sentToServer = b.sentToServer;
    this.receivedFromServer = b.receivedFromServer;
  }

  /** Returns the outcome of a pick the channel did not use, for {@code reason}. */
  public static DoneInfo notStarted(Status reason) {
    return newBuilder(reason).build();
  }

  /** Returns a builder for a pick that ended with {@code status}; every flag starts {@code false}. */
  public static Builder newBuilder(Status status) {
    return new Builder(status);
  }

  /** Returns the call's final status, or why the pick was not used. */
  public Status status() {
    return status;
  }

  /** Returns the trailers received; empty if none. */
  public Metadata trailers() {
    return trailers;
  }

  /** Returns whether the channel started a stream for this pick. */
  public boolean started() {
    return started;
  }

  /** Returns whether the stream reached the server (was not refused before the server saw it). */
  public boolean sentToServer() {
    return sentToServer;
  }

  /** Returns whether the server sent response headers. */
  public boolean receivedFromServer() {
    return receivedFromServer;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DoneInfo)) {
      return false;
    }
    DoneInfo other = (DoneInfo) o;
    return started == other.started && sentToServer == other.sentToServer
        && receivedFromServer == other.receivedFromServer && status.equals(other.status)
        && trailers == other.trailers;
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, started, sentToServer, receivedFromServer);
  }

  @Override
  public String toString() {
    return "DoneInfo{" + status + (started ? ", started" : ", not started")
        + (sentToServer ? ", sent" : "") + (receivedFromServer ? ", received" : "") + "}";
  }

  /**
   * Builds {@link DoneInfo}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Status status;
    private Metadata trailers = new Metadata();
    private boolean started;
    private boolean sentToServer;
    private boolean receivedFromServer;

    private Builder(Status status) {
      this.status = requireNonNull(status, "status");
    }

    /** Sets the trailers. Default: empty. */
    public Builder trailers(Metadata trailers) {
      this.trailers = requireNonNull(trailers, "trailers");
      return this;
    }

    /** Sets whether a stream was started for the pick. Default: false. */
    public Builder started(boolean started) {
      this.started = started;
      return this;
    }

    /** Sets whether the stream reached the server. Default: false. */
    public Builder sentToServer(boolean sent) {
      this.sentToServer = sent;
      return this;
    }

    /** Sets whether the server sent response headers. Default: false. */
    public Builder receivedFromServer(boolean received) {
      this.receivedFromServer = received;
      return this;
    }

    /**
     * Returns the outcome.
     *
     * @throws IllegalStateException if sent or received is set on a pick that was not started
     */
    public DoneInfo build() {
      if (!started && (sentToServer || receivedFromServer)) {
        throw new IllegalStateException("sentToServer or receivedFromServer without started");
      }
      return new DoneInfo(this);
    }
  }
}
