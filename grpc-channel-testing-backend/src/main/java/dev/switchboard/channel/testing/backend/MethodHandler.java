package dev.switchboard.channel.testing.backend;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import java.util.function.Function;

/**
 * A method that a test serves on a {@link TestBackend} of its own ({@link
 * TestBackend.Builder#method}): a fake load balancer's {@code BalanceLoad}, or any service a plugin
 * test needs. The backend decodes requests and encodes responses with the method's marshallers.
 *
 * <pre>{@code
 * TestBackend lb = TestBackend.newBuilder()
 *     .method(BALANCE_LOAD, (call, headers) -> new MethodHandler.RequestListener<>() {
 *       public void onMessage(LoadBalanceRequest request) {
 *         call.sendMessage(serverList);
 *       }
 *     })
 *     .build().start();
 * }</pre>
 *
 * <p>Thread-safe: the backend calls {@link #startCall} and the {@link RequestListener} of a call on
 * the call's connection's event loop, one at a time; the {@link ResponseSender} may be used from
 * any thread.
 *
 * @param <ReqT> the request type
 * @param <RespT> the response type
 * @since 0.1
 */
@FunctionalInterface
public interface MethodHandler<ReqT, RespT> {

  /** A call started with {@code headers}; returns what hears its requests. */
  RequestListener<ReqT> startCall(ResponseSender<RespT> call, Metadata headers);

  /**
   * Returns a handler that answers each call's one request with {@code answer}'s response and
   * closes it OK; a {@link dev.switchboard.channel.api.StatusException} thrown by {@code answer}
   * closes the call with its status.
   */
  static <ReqT, RespT> MethodHandler<ReqT, RespT> unary(Function<ReqT, RespT> answer) {
    requireNonNull(answer, "answer");
    return (call, headers) -> new RequestListener<>() {
      @Override
      public void onMessage(ReqT request) {
        try {
          call.sendMessage(answer.apply(request));
          call.close(Status.OK);
        } catch (dev.switchboard.channel.api.StatusException e) {
          call.close(e.status());
        }
      }
    };
  }

  /**
   * Hears the requests of one call. Not thread-safe: called on the connection's event loop.
   *
   * @param <ReqT> the request type
   * @since 0.1
   */
  interface RequestListener<ReqT> {
    /** A request arrived. Default: nothing. */
    default void onMessage(ReqT request) {}

    /** The client sent its last request. Default: nothing. */
    default void onHalfClose() {}

    /** The client cancelled the call or the connection closed before it ended. Default: nothing. */
    default void onCancel() {}
  }

  /**
   * The server's side of one call. Thread-safe: it may be used from any thread, after the call has
   * started.
   *
   * @param <RespT> the response type
   * @since 0.1
   */
  interface ResponseSender<RespT> {
    /** Sends a response (the response headers first, once). Does nothing once the call is closed. */
    void sendMessage(RespT response);

    /** Ends the call with {@code status}. Later calls do nothing. */
    void close(Status status);
  }
}
