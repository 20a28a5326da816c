package dev.switchboard.channel.api.stub;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.MethodDescriptor;
import java.util.List;

/**
 * Wraps a {@link Channel} with {@link ClientInterceptor}s.
 *
 * <p>The order is the one {@link ClientInterceptor} documents: for {@code intercept(channel, a, b,
 * c)}, {@code a} sees each call first and its {@code next} is {@code b}; {@code c}'s {@code next} is
 * {@code channel}. (grpc-java's {@code ClientInterceptors.intercept} runs them the other way round.)
 *
 * <p>Thread-safe: the returned channel is as thread-safe as the channel and interceptors it wraps.
 *
 * @since 0.1
 */
public final class ClientInterceptors {

  private ClientInterceptors() {}

  /** Returns {@code channel} wrapped so that {@code interceptors[0]} sees each call first. */
  public static Channel intercept(Channel channel, ClientInterceptor... interceptors) {
    return intercept(channel, List.of(interceptors));
  }

  /** Returns {@code channel} wrapped so that the first interceptor of the list sees each call first. */
  public static Channel intercept(Channel channel, List<? extends ClientInterceptor> interceptors) {
    requireNonNull(channel, "channel");
    Channel wrapped = channel;
    List<? extends ClientInterceptor> copy = List.copyOf(interceptors);
    for (int i = copy.size() - 1; i >= 0; i--) {
      wrapped = new InterceptedChannel(wrapped, copy.get(i));
    }
    return wrapped;
  }

  /** A channel whose calls go through one interceptor to the next channel. */
  private static final class InterceptedChannel implements Channel {
    private final Channel next;
    private final ClientInterceptor interceptor;

    InterceptedChannel(Channel next, ClientInterceptor interceptor) {
      this.next = next;
      this.interceptor = interceptor;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
      return interceptor.interceptCall(method, callOptions, next);
    }

    @Override
    public String authority() {
      return next.authority();
    }
  }
}
