package dev.switchboard.channel.protobuf;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Rich error details: a {@code google.rpc.Status} ({@link dev.switchboard.channel.protobuf.rpc.Status},
 * a code, a message and {@code Any} details) carried in the {@code grpc-status-details-bin} trailer
 * beside the call's own status, as grpc-java's {@code io.grpc.protobuf.StatusProto} and the other
 * gRPC implementations read and write it.
 *
 * <p>A server that sends details whose code differs from the call's status, or bytes that are not
 * a {@code google.rpc.Status}, is not believed: {@link #fromStatusAndTrailers} then answers with the
 * call's own status, so a misbehaving server cannot make a call look like it failed differently.
 *
 * <p>Thread-safe: static methods only.
 *
 * @since 0.1
 */
public final class StatusProto {
  /** The trailer that carries the details. */
  public static final String DETAILS_KEY_NAME = "grpc-status-details-bin";

  private static final Metadata.Key<dev.switchboard.channel.protobuf.rpc.Status> DETAILS_KEY =
      Metadata.Key.of(DETAILS_KEY_NAME,
          ProtoMarshallers.metadataMarshaller(dev.switchboard.channel.protobuf.rpc.Status.getDefaultInstance()));

  private StatusProto() {}

  /**
   * Returns an exception whose status has the code and message of {@code statusProto}, and whose
   * trailers carry {@code statusProto} itself. A code that gRPC does not define gives {@code
   * UNKNOWN}, as {@link Status#fromCodeValue} does.
   *
   * @throws IllegalArgumentException if the code is {@code OK}: an exception needs a failure
   */
  public static StatusException toStatusException(dev.switchboard.channel.protobuf.rpc.Status statusProto) {
    return toStatusException(statusProto, new Metadata());
  }

  /**
   * Returns an exception as {@link #toStatusException(dev.switchboard.channel.protobuf.rpc.Status)}
   * does, with {@code statusProto} added to {@code trailers} (which the exception then owns).
   */
  public static StatusException toStatusException(
      dev.switchboard.channel.protobuf.rpc.Status statusProto, Metadata trailers) {
    requireNonNull(statusProto, "statusProto");
    requireNonNull(trailers, "trailers");
    Status status = toStatus(statusProto);
    if (status.isOk()) {
      throw new IllegalArgumentException("statusProto: code 0 (expected: a failure code)");
    }
    trailers.removeAll(DETAILS_KEY);
    trailers.put(DETAILS_KEY, statusProto);
    return status.asException(trailers);
  }

  /**
   * Returns the details of the first {@link StatusException} in {@code t}'s cause chain, read as
   * {@link #fromStatusAndTrailers} does; empty when the chain holds none.
   */
  public static Optional<dev.switchboard.channel.protobuf.rpc.Status> fromThrowable(Throwable t) {
    requireNonNull(t, "t");
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof StatusException e) {
        return Optional.of(fromStatusAndTrailers(e.status(), e.trailers()));
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the details in {@code trailers} when they are a valid {@code google.rpc.Status} with
   * the same code as {@code status}; otherwise a {@code google.rpc.Status} made of {@code status}'s
   * code and description, with no details.
   */
  public static dev.switchboard.channel.protobuf.rpc.Status fromStatusAndTrailers(
      Status status, Metadata trailers) {
    requireNonNull(status, "status");
    requireNonNull(trailers, "trailers");
    Optional<dev.switchboard.channel.protobuf.rpc.Status> sent;
    try {
      sent = trailers.get(DETAILS_KEY);
    } catch (IllegalArgumentException notAStatus) {
      sent = Optional.empty();
    }
    if (sent.isPresent() && sent.get().getCode() == status.code().value()) {
      return sent.get();
    }
    dev.switchboard.channel.protobuf.rpc.Status.Builder fromStatus =
        dev.switchboard.channel.protobuf.rpc.Status.newBuilder().setCode(status.code().value());
    status.description().ifPresent(fromStatus::setMessage);
    return fromStatus.build();
  }

  private static Status toStatus(dev.switchboard.channel.protobuf.rpc.Status statusProto) {
    Status status = Status.fromCodeValue(statusProto.getCode());
    return statusProto.getMessage().isEmpty() ? status : status.withDescription(statusProto.getMessage());
  }
}
