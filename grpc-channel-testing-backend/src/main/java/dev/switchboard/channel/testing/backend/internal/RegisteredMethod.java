package dev.switchboard.channel.testing.backend.internal;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.testing.backend.MethodHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A call to a method a test registered: decodes requests for its {@link MethodHandler.RequestListener},
 * and gives the handler a {@link MethodHandler.ResponseSender} that hops to the event loop.
 *
 * <p>Not thread-safe as a {@link ServedMethod} (event loop only); its sender is thread-safe.
 *
 * @param <ReqT> the request type
 * @param <RespT> the response type
 */
final class RegisteredMethod<ReqT, RespT> implements ServedMethod {
  private final MethodDescriptor<ReqT, RespT> method;
  private final MethodHandler<ReqT, RespT> handler;
  private MethodHandler.RequestListener<ReqT> listener;

  RegisteredMethod(MethodDescriptor<ReqT, RespT> method, MethodHandler<ReqT, RespT> handler) {
    this.method = method;
    this.handler = handler;
  }

  @Override
  public void onStart(ServerStream stream, Metadata headers) {
    listener = handler.startCall(new MethodHandler.ResponseSender<>() {
      @Override
      public void sendMessage(RespT response) {
        byte[] bytes = bytes(method.responseMarshaller().stream(response));
        stream.execute(() -> stream.sendMessage(bytes));
      }

      @Override
      public void close(Status status) {
        stream.execute(() -> stream.close(status));
      }
    }, headers);
  }

  @Override
  public void onMessage(ServerStream stream, byte[] message) {
    ReqT request;
    try {
      request = method.requestMarshaller().parse(new ByteArrayInputStream(message));
    } catch (RuntimeException e) {
      stream.close(Status.INVALID_ARGUMENT.withDescription(
          "cannot parse the request of " + method.fullMethodName() + ": " + e.getMessage()));
      return;
    }
    listener.onMessage(request);
  }

  @Override
  public void onHalfClose(ServerStream stream) {
    listener.onHalfClose();
  }

  @Override
  public void onCancel(ServerStream stream) {
    if (listener != null) {
      listener.onCancel();
    }
  }

  private static byte[] bytes(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
