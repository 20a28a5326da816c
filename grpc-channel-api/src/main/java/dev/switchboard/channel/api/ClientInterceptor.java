package dev.switchboard.channel.api;

/**
 * Intercepts calls: adds headers, logs, retries, measures.
 *
 * <p>Interceptors given to a channel builder as {@code intercept(a, b, c)} run in that order when a
 * call is created: {@code a} sees the call first and its {@code next} is {@code b}; the last one's
 * {@code next} is the channel itself.
 *
 * <p>An interceptor that wraps the call it gets from {@code next} should build on
 * {@link dev.switchboard.channel.api.stub.ForwardingClientCall}, which forwards everything,
 * {@link ClientCall#attributes()} included, so that the application still sees which connection
 * the call went out on.
 *
 * <p>Implementations must be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ClientInterceptor {

  /** Returns the call to use for {@code method}, usually one that wraps {@code next.newCall(…)}. */
  <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next);
}
