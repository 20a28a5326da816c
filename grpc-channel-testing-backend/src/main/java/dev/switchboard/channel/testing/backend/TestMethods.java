package dev.switchboard.channel.testing.backend;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.MethodDescriptor.Marshaller;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.testing.backend.internal.ProtoReader;
import dev.switchboard.channel.testing.backend.internal.ProtoWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Ready-made descriptors for the methods a {@link TestBackend} serves, with marshallers that write
 * the protobuf wire format by hand, so tests, plugin modules, demos and benchmarks can call a
 * backend (or any server implementing these protos) without protobuf or grpc-java.
 *
 * <p>The messages, in proto3:
 *
 * <pre>{@code
 * package grpc.health.v1;
 * message HealthCheckRequest { string service = 1; }
 * message HealthCheckResponse { ServingStatus status = 1; }  // UNKNOWN=0 SERVING=1 NOT_SERVING=2 SERVICE_UNKNOWN=3
 * service Health { rpc Check(HealthCheckRequest) returns (HealthCheckResponse); }
 *
 * package switchboard.testing;
 * message EchoRequest { string message = 1; int32 response_delay_ms = 2; int32 fail_with_code = 3; }
 * message EchoResponse { string message = 1; string backend = 2; }
 * service Echo {
 *   rpc Echo(EchoRequest) returns (EchoResponse);
 *   rpc EchoStream(stream EchoRequest) returns (stream EchoResponse);
 * }
 * }</pre>
 *
 * <p>Thread-safe: every field is immutable.
 *
 * @since 0.1
 */
public final class TestMethods {

  /** The standard health service, {@code grpc.health.v1.Health}. */
  public static final String HEALTH_SERVICE = "grpc.health.v1.Health";

  /** The echo service, {@code switchboard.testing.Echo}. */
  public static final String ECHO_SERVICE = "switchboard.testing.Echo";

  /**
   * {@code grpc.health.v1.Health/Check}: the request is the service name ({@code ""} for the
   * server as a whole), the response its serving status.
   */
  public static final MethodDescriptor<String, HealthStatus> HEALTH_CHECK =
      MethodDescriptor.newBuilder(
              marshaller(s -> new ProtoWriter().string(1, s).toByteArray(), TestMethods::parseService),
              marshaller(s -> new ProtoWriter().int32(1, s.value()).toByteArray(),
                  TestMethods::parseHealthStatus))
          .type(MethodType.UNARY)
          .fullMethodName(MethodDescriptor.fullMethodName(HEALTH_SERVICE, "Check"))
          .safe(true)
          .build();

  /** {@code switchboard.testing.Echo/Echo}: unary; the response repeats the message. */
  public static final MethodDescriptor<EchoRequest, EchoResponse> ECHO =
      MethodDescriptor.newBuilder(
              marshaller(EchoRequest::toByteArray, EchoRequest::parse),
              marshaller(EchoResponse::toByteArray, EchoResponse::parse))
          .type(MethodType.UNARY)
          .fullMethodName(MethodDescriptor.fullMethodName(ECHO_SERVICE, "Echo"))
          .build();

  /**
   * {@code switchboard.testing.Echo/EchoStream}: bidi; one response for each request, in order
   * (a later request with a shorter delay waits for the earlier ones). A request with
   * {@code fail_with_code} ends the whole call with that status.
   */
  public static final MethodDescriptor<EchoRequest, EchoResponse> ECHO_STREAM =
      ECHO.toBuilder()
          .type(MethodType.BIDI_STREAMING)
          .fullMethodName(MethodDescriptor.fullMethodName(ECHO_SERVICE, "EchoStream"))
          .build();

  private TestMethods() {}

  /**
   * The serving status of a health check response ({@code HealthCheckResponse.ServingStatus}).
   *
   * <p>Immutable.
   *
   * @since 0.1
   */
  public enum HealthStatus {
    /** Not known; also what a number this enum does not know parses to. */
    UNKNOWN(0),
    /** The service is serving. */
    SERVING(1),
    /** The service is not serving. */
    NOT_SERVING(2),
    /** Used only by the streaming {@code Watch} method for a service the server does not know. */
    SERVICE_UNKNOWN(3);

    private final int value;

    HealthStatus(int value) {
      this.value = value;
    }

    /** Returns the number on the wire. */
    public int value() {
      return value;
    }

    /** Returns the status with the wire number {@code value}, or {@link #UNKNOWN}. */
    public static HealthStatus fromValue(int value) {
      for (HealthStatus s : values()) {
        if (s.value == value) {
          return s;
        }
      }
      return UNKNOWN;
    }
  }

  /**
   * An echo request.
   *
   * <p>Immutable.
   *
   * @param message what the backend repeats
   * @param responseDelayMs how long the backend waits before it answers; 0 for no wait
   * @param failWithCode if not 0, the backend ends the call with this gRPC status code (1-16)
   *     instead of answering, after the delay
   * @since 0.1
   */
  public record EchoRequest(String message, int responseDelayMs, int failWithCode) {

    /** Checks the components. */
    public EchoRequest {
      requireNonNull(message, "message");
      if (responseDelayMs < 0) {
        throw new IllegalArgumentException("responseDelayMs: " + responseDelayMs + " (expected: >= 0)");
      }
      if (failWithCode < 0 || failWithCode > 16) {
        throw new IllegalArgumentException("failWithCode: " + failWithCode + " (expected: 0-16)");
      }
    }

    /** Returns a request that is answered at once. */
    public static EchoRequest of(String message) {
      return new EchoRequest(message, 0, 0);
    }

    /** Returns a copy answered after {@code delayMs} milliseconds. */
    public EchoRequest withResponseDelayMs(int delayMs) {
      return new EchoRequest(message, delayMs, failWithCode);
    }

    /** Returns a copy that the backend fails with {@code code} (not {@code OK}). */
    public EchoRequest withFailWithCode(Status.Code code) {
      return new EchoRequest(message, responseDelayMs, requireNonNull(code, "code").value());
    }

    private byte[] toByteArray() {
      return new ProtoWriter()
          .string(1, message)
          .int32(2, responseDelayMs)
          .int32(3, failWithCode)
          .toByteArray();
    }

    private static EchoRequest parse(byte[] bytes) {
      ProtoReader r = new ProtoReader(bytes);
      String message = "";
      int delay = 0;
      int code = 0;
      for (int field = r.next(); field != 0; field = r.next()) {
        switch (field) {
          case 1 -> message = r.string();
          case 2 -> delay = r.int32();
          case 3 -> code = r.int32();
          default -> r.skip();
        }
      }
      return new EchoRequest(message, delay, code);
    }
  }

  /**
   * An echo response.
   *
   * <p>Immutable.
   *
   * @param message the request's message
   * @param backend the {@linkplain TestBackend#name() name} of the backend that answered
   * @since 0.1
   */
  public record EchoResponse(String message, String backend) {

    /** Checks the components. */
    public EchoResponse {
      requireNonNull(message, "message");
      requireNonNull(backend, "backend");
    }

    private byte[] toByteArray() {
      return new ProtoWriter().string(1, message).string(2, backend).toByteArray();
    }

    private static EchoResponse parse(byte[] bytes) {
      ProtoReader r = new ProtoReader(bytes);
      String message = "";
      String backend = "";
      for (int field = r.next(); field != 0; field = r.next()) {
        switch (field) {
          case 1 -> message = r.string();
          case 2 -> backend = r.string();
          default -> r.skip();
        }
      }
      return new EchoResponse(message, backend);
    }
  }

  private static String parseService(byte[] bytes) {
    ProtoReader r = new ProtoReader(bytes);
    String service = "";
    for (int field = r.next(); field != 0; field = r.next()) {
      if (field == 1) {
        service = r.string();
      } else {
        r.skip();
      }
    }
    return service;
  }

  private static HealthStatus parseHealthStatus(byte[] bytes) {
    ProtoReader r = new ProtoReader(bytes);
    int status = 0;
    for (int field = r.next(); field != 0; field = r.next()) {
      if (field == 1) {
        status = r.int32();
      } else {
        r.skip();
      }
    }
    return HealthStatus.fromValue(status);
  }

  private static <T> Marshaller<T> marshaller(
      Function<T, byte[]> encoder, Function<byte[], T> decoder) {
    return new Marshaller<>() {
      @Override
      public InputStream stream(T value) {
        return new ByteArrayInputStream(encoder.apply(requireNonNull(value, "value")));
      }

      @Override
      public T parse(InputStream stream) {
        try {
          return decoder.apply(stream.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }
}
