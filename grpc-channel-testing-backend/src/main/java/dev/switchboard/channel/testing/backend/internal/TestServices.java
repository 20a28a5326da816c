package dev.switchboard.channel.testing.backend.internal;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.testing.backend.TestMethods;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import dev.switchboard.channel.testing.backend.TestMethods.HealthStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The methods a test backend serves: those a test registered, {@code grpc.health.v1.Health/Check}
 * and the {@code switchboard.testing.Echo} service, described by {@link TestMethods} and decoded
 * with its marshallers.
 *
 * <p>Thread-safe: stateless; each call gets its own {@link ServedMethod}.
 */
final class TestServices {

  /** The services whose health {@code Check} reports; any other name is NOT_FOUND. */
  private static final Set<String> KNOWN_SERVICES =
      Set.of("", TestMethods.HEALTH_SERVICE, TestMethods.ECHO_SERVICE);

  private TestServices() {}

  /**
   * Returns the handler for a call to {@code fullMethodName}, or {@code null} if the backend does
   * not serve it.
   */
  static ServedMethod find(String fullMethodName, BackendState state) {
    ServedMethod registered = state.registered(fullMethodName);
    if (registered != null) {
      return registered;
    }
    if (fullMethodName.equals(TestMethods.HEALTH_CHECK.fullMethodName())) {
      return new Unary<>(TestMethods.HEALTH_CHECK, (stream, service) -> check(stream, service, state));
    }
    if (fullMethodName.equals(TestMethods.ECHO.fullMethodName())) {
      return new Unary<>(TestMethods.ECHO, (stream, request) -> echo(stream, request, state, true));
    }
    if (fullMethodName.equals(TestMethods.ECHO_STREAM.fullMethodName())) {
      return new BidiEcho(state);
    }
    return null;
  }

  private static void check(ServerStream stream, String service, BackendState state) {
    if (!KNOWN_SERVICES.contains(service)) {
      stream.close(Status.NOT_FOUND.withDescription("unknown service " + ErrorText.quote(service)));
      return;
    }
    HealthStatus status = state.isServing() ? HealthStatus.SERVING : HealthStatus.NOT_SERVING;
    stream.sendMessage(bytes(TestMethods.HEALTH_CHECK.responseMarshaller().stream(status)));
    stream.close(Status.OK);
  }

  /** Answers one echo request after its delay: a response, or the status it asks to fail with. */
  private static void echo(ServerStream stream, EchoRequest request, BackendState state, boolean last) {
    stream.runInOrder(request.responseDelayMs(), () -> {
      if (request.failWithCode() != 0) {
        stream.close(Status.fromCodeValue(request.failWithCode())
            .withDescription("fail_with_code " + request.failWithCode() + " requested by the client"));
        return;
      }
      EchoResponse response = new EchoResponse(request.message(), state.name());
      stream.sendMessage(bytes(TestMethods.ECHO.responseMarshaller().stream(response)));
      if (last) {
        stream.close(Status.OK);
      }
    });
  }

  private static <T> T parse(MethodDescriptor<T, ?> method, byte[] message, ServerStream stream) {
    try {
      return method.requestMarshaller().parse(new ByteArrayInputStream(message));
    } catch (RuntimeException e) {
      stream.close(Status.INVALID_ARGUMENT.withDescription(
          "cannot parse the request of " + method.fullMethodName() + ": " + e.getMessage()));
      return null;
    }
  }

  private static byte[] bytes(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How a unary method answers its one request. */
  private interface UnaryHandler<T> {
    void answer(ServerStream stream, T request);
  }

  /** A unary call: exactly one request message, answered at half-close. */
  private static final class Unary<T> implements ServedMethod {
    private final MethodDescriptor<T, ?> method;
    private final UnaryHandler<T> handler;
    private T request;

    Unary(MethodDescriptor<T, ?> method, UnaryHandler<T> handler) {
      this.method = method;
      this.handler = handler;
    }

    @Override
    public void onMessage(ServerStream stream, byte[] message) {
      if (request != null) {
        stream.close(Status.INTERNAL.withDescription(
            "too many requests for unary method " + method.fullMethodName() + " (expected: 1)"));
        return;
      }
      request = parse(method, message, stream);
    }

    @Override
    public void onHalfClose(ServerStream stream) {
      if (request == null) {
        stream.close(Status.INTERNAL.withDescription(
            "no request for unary method " + method.fullMethodName() + " (expected: 1)"));
        return;
      }
      handler.answer(stream, request);
    }
  }

  /** {@code EchoStream}: one response for each request, in order; OK after the last one. */
  private static final class BidiEcho implements ServedMethod {
    private final BackendState state;

    BidiEcho(BackendState state) {
      this.state = state;
    }

    @Override
    public void onMessage(ServerStream stream, byte[] message) {
      EchoRequest request = parse(TestMethods.ECHO_STREAM, message, stream);
      if (request != null) {
        echo(stream, request, state, false);
      }
    }

    @Override
    public void onHalfClose(ServerStream stream) {
      stream.runInOrder(0, () -> stream.close(Status.OK));
    }
  }
}
