package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of an operation: a {@linkplain Code code}, an optional human-readable description and
 * an optional cause.
 *
 * <p>Status values travel everywhere a result can go wrong: call results, resolver and balancer
 * callbacks, pick errors. An error message names the culprit ("target 'dns:///x:y': bad port 'y'").
 * The description is sent over the wire (as {@code grpc-message}); the cause is local only.
 *
 * <p>Immutable and thread-safe. Two statuses are not {@code equals} because they have the same code:
 * compare {@link #code()}.
 *
 * @since 0.1
 */
public final class Status {

  /**
   * The 17 canonical gRPC status codes, with the numbers that go on the wire.
   *
   * @since 0.1
   */
  public enum Code {
    /** The operation completed successfully. */
    OK(0),
    /** The operation was cancelled, typically by the caller. */
    CANCELLED(1),
    /** Unknown error, or an error from another address space without enough information. */
    UNKNOWN(2),
    /** The client specified an invalid argument. */
    INVALID_ARGUMENT(3),
    /** The deadline expired before the operation could complete. */
    DEADLINE_EXCEEDED(4),
    /** Some requested entity was not found. */
    NOT_FOUND(5),
    /** The entity that a client attempted to create already exists. */
    ALREADY_EXISTS(6),
    /** The caller does not have permission to execute the operation. */
    PERMISSION_DENIED(7),
    /** Some resource has been exhausted, for example a message size limit. */
    RESOURCE_EXHAUSTED(8),
    /** The system is not in a state required for the operation's execution. */
    FAILED_PRECONDITION(9),
    /** The operation was aborted, typically due to a concurrency issue. */
    ABORTED(10),
    /** The operation was attempted past the valid range. */
    OUT_OF_RANGE(11),
    /** The operation is not implemented or not supported. */
    UNIMPLEMENTED(12),
    /** An invariant expected by the underlying system has been broken. */
    INTERNAL(13),
    /** The service is currently unavailable; a retry with backoff may succeed. */
    UNAVAILABLE(14),
    /** Unrecoverable data loss or corruption. */
    DATA_LOSS(15),
    /** The request does not have valid authentication credentials. */
    UNAUTHENTICATED(16);

    private static final Code[] BY_VALUE = values();

    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** Returns the number of this code on the wire. */
    public int value() {
      return value;
    }

    /** Returns the status with this code and no description. */
    public Status toStatus() {
      return CANONICAL[ordinal()];
    }

    /**
     * Returns the code with the given wire number.
     *
     * @return the code, or empty if {@code value} is not one of the 17 codes
     */
    public static Optional<Code> fromValue(int value) {
      return value >= 0 && value < BY_VALUE.length ? Optional.of(BY_VALUE[value]) : Optional.empty();
    }
  }

  // Built here rather than in Code's constructor: a Status created while Code initializes would
  // start Status's initialization, whose constants read Code's not-yet-assigned values.
  private static final Status[] CANONICAL = canonical();

  private static Status[] canonical() {
    Code[] codes = Code.values();
    Status[] out = new Status[codes.length];
    for (Code c : codes) {
      out[c.ordinal()] = new Status(c, null, null);
    }
    return out;
  }

  /** The operation completed successfully. */
  public static final Status OK = Code.OK.toStatus();
  /** The operation was cancelled. */
  public static final Status CANCELLED = Code.CANCELLED.toStatus();
  /** Unknown error. */
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();
  /** The client specified an invalid argument. */
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();
  /** The deadline expired. */
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();
  /** Some requested entity was not found. */
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();
  /** The entity already exists. */
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();
  /** Permission denied. */
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();
  /** A resource has been exhausted. */
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();
  /** The system is not in the required state. */
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();
  /** The operation was aborted. */
  public static final Status ABORTED = Code.ABORTED.toStatus();
  /** The operation was attempted past the valid range. */
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();
  /** Not implemented. */
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();
  /** Internal error. */
  public static final Status INTERNAL = Code.INTERNAL.toStatus();
  /** The service is unavailable. */
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();
  /** Data loss. */
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();
  /** Not authenticated. */
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();

  private final Code code;
  private final String description;
  private final Throwable cause;

  private Status(Code code, String description, Throwable cause) {
    this.code = code;
    this.description = description;
    this.cause = cause;
  }

  /**
   * Returns the status for a wire code number; an unknown number gives {@link Code#UNKNOWN} with a
   * description naming the number.
   */
  public static Status fromCodeValue(int value) {
    return Code.fromValue(value)
        .map(Code::toStatus)
        .orElseGet(() -> UNKNOWN.withDescription("unknown status code " + value));
  }

  /**
   * Returns the status carried by {@code t} or by the first {@link StatusException} in its cause
   * chain; otherwise {@link Code#UNKNOWN} with {@code t} as the cause.
   */
  public static Status fromThrowable(Throwable t) {
    requireNonNull(t, "t");
    // A cause chain may loop (initCause allows it); remember what was seen so the walk ends.
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof StatusException) {
        return ((StatusException) c).status();
      }
    }
    return UNKNOWN.withDescription(String.valueOf(t)).withCause(t);
  }

  /** Returns the code. */
  public Code code() {
    return code;
  }

  /** Returns the description, if any. */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /** Returns the local cause, if any. It is never sent over the wire. */
  public Optional<Throwable> cause() {
    return Optional.ofNullable(cause);
  }

  /** Returns whether the code is {@link Code#OK}. */
  public boolean isOk() {
    return code == Code.OK;
  }

  /** Returns a status with the same code and cause and the given description. */
  public Status withDescription(String description) {
    return new Status(code, description, cause);
  }

  /** Returns a status with the same code and description and the given cause. */
  public Status withCause(Throwable cause) {
    return new Status(code, description, cause);
  }

  /**
   * Returns a status whose description is this one's followed by {@code additional} on a new line
   * (or {@code additional} alone when there was none).
   */
  public Status augmentDescription(String additional) {
    requireNonNull(additional, "additional");
    return new Status(code, description == null ? additional : description + "\n" + additional, cause);
  }

  /** Returns an exception carrying this status and no trailers. */
  public StatusException asException() {
    return new StatusException(this, new Metadata());
  }

  /** Returns an exception carrying this status and the given trailers. */
  public StatusException asException(Metadata trailers) {
    return new StatusException(this, trailers);
  }

  /** Returns {@code CODE: description}, or the code alone. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(code.name());
    if (description != null) {
      sb.append(": ").append(description);
    }
    if (cause != null) {
      sb.append(" (cause: ").append(cause).append(')');
    }
    return sb.toString();
  }
}
