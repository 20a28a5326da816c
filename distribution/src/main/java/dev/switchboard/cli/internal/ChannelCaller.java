package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.api.stub.ClientInterceptors;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Caller} that makes one blocking unary call of a fixed method and request through a
 * channel, each with its own deadline, and names the backend from the remote address of the
 * connection the call went out on ({@link ClientCall#REMOTE_ADDRESS}), whatever the method, and,
 * if it likes, from the response.
 *
 * <p>The call is caught as the channel creates it (an interceptor hands it over through a call
 * option), so that its attributes can be read once the blocking call has returned: by then its
 * listener has heard {@code onClose}, and the attributes are filled if the call reached a backend.
 *
 * <p>Thread-safe: {@link CallRunner} calls it from several threads at once.
 *
 * @param <ReqT> the request type
 * @param <RespT> the response type
 */
final class ChannelCaller<ReqT, RespT> implements Caller {

  /**
   * Names the backend of one call.
   *
   * @param <RespT> the response type
   */
  @FunctionalInterface
  interface BackendLabel<RespT> {
    /**
     * Returns the label of the backend that {@code remote} is, for a call that ended with
     * {@code response}.
     *
     * @param remote the remote address of the call's connection, or null if it reached none
     * @param response the response, or null if the call failed
     */
    String of(SocketAddress remote, RespT response);
  }

  /** Where the interceptor puts the call it sees; set per call. */
  private static final CallOptions.Key<AtomicReference<ClientCall<?, ?>>> CALL_SINK =
      CallOptions.Key.create("switchboard-cli-call-sink");

  private static final ClientInterceptor CATCH_CALL = new ClientInterceptor() {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
      ClientCall<Q, R> call = next.newCall(method, callOptions);
      callOptions.option(CALL_SINK).ifPresent(sink -> sink.set(call));
      return call;
    }
  };

  private final Channel channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final ReqT request;
  private final BackendLabel<RespT> label;
  private final CallOptions options;
  private final Duration deadline;
  private final AtomicReference<Status> firstFailure = new AtomicReference<>();

  /**
   * @param label names the backend of each call (see {@link #byAddress()})
   * @param options the options of every call, but the deadline
   * @param deadline the deadline of each call, from its start
   */
  ChannelCaller(Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request,
      BackendLabel<RespT> label, CallOptions options, Duration deadline) {
    this.channel = ClientInterceptors.intercept(requireNonNull(channel, "channel"), CATCH_CALL);
    this.method = requireNonNull(method, "method");
    this.request = requireNonNull(request, "request");
    this.label = requireNonNull(label, "label");
    this.options = requireNonNull(options, "options");
    this.deadline = requireNonNull(deadline, "deadline");
  }

  /** Returns the label that names a backend by its address alone: {@link #addressLabel}. */
  static <RespT> BackendLabel<RespT> byAddress() {
    return (remote, response) -> addressLabel(remote);
  }

  /**
   * Returns {@code host:port} of {@code remote} (IPv6 in brackets), or {@link CallStats#NO_BACKEND}
   * for null, a call that reached no backend.
   */
  static String addressLabel(SocketAddress remote) {
    return remote == null ? CallStats.NO_BACKEND : ResolveCommand.format(remote);
  }

  @Override
  public Outcome call() throws InterruptedException {
    AtomicReference<ClientCall<?, ?>> made = new AtomicReference<>();
    long start = System.nanoTime();
    try {
      RespT response = ClientCalls.blockingUnaryCall(
          channel, method, options.withDeadlineAfter(deadline).withOption(CALL_SINK, made), request);
      return new Outcome(label.of(remote(made), response), Status.Code.OK, System.nanoTime() - start);
    } catch (StatusException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("call interrupted: " + e.status());
      }
      long latency = System.nanoTime() - start;
      firstFailure.compareAndSet(null, e.status());
      return new Outcome(label.of(remote(made), null), e.status().code(), latency);
    }
  }

  private static SocketAddress remote(AtomicReference<ClientCall<?, ?>> made) {
    ClientCall<?, ?> call = made.get();
    return call == null ? null : call.attributes().get(ClientCall.REMOTE_ADDRESS).orElse(null);
  }

  /** Returns the status of the first call that failed, if any did: the message of a failed run. */
  Optional<Status> firstFailure() {
    return Optional.ofNullable(firstFailure.get());
  }
}
