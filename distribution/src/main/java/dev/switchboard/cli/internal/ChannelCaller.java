package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCalls;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link Caller} that makes one blocking unary call of a fixed method and request through a
 * channel, each with its own deadline, and names the backend from the response.
 *
 * <p>Thread-safe: {@link CallRunner} calls it from several threads at once.
 *
 * @param <ReqT> the request type
 * @param <RespT> the response type
 */
final class ChannelCaller<ReqT, RespT> implements Caller {
  private final Channel channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final ReqT request;
  private final Function<RespT, String> backendOf;
  private final CallOptions options;
  private final Duration deadline;
  private final AtomicReference<Status> firstFailure = new AtomicReference<>();

  /**
   * @param backendOf names the backend that sent a response ({@link CallStats#NO_BACKEND} when the
   *     response does not say)
   * @param options the options of every call, but the deadline
   * @param deadline the deadline of each call, from its start
   */
  ChannelCaller(Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request,
      Function<RespT, String> backendOf, CallOptions options, Duration deadline) {
    this.channel = requireNonNull(channel, "channel");
    this.method = requireNonNull(method, "method");
    this.request = requireNonNull(request, "request");
    this.backendOf = requireNonNull(backendOf, "backendOf");
    this.options = requireNonNull(options, "options");
    this.deadline = requireNonNull(deadline, "deadline");
  }

  @Override
  public Outcome call() throws InterruptedException {
    long start = System.nanoTime();
    try {
      RespT response = ClientCalls.blockingUnaryCall(
          channel, method, options.withDeadlineAfter(deadline), request);
      return new Outcome(backendOf.apply(response), Status.Code.OK, System.nanoTime() - start);
    } catch (StatusException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("call interrupted: " + e.status());
      }
      firstFailure.compareAndSet(null, e.status());
      return new Outcome(CallStats.NO_BACKEND, e.status().code(), System.nanoTime() - start);
    }
  }

  /** Returns the status of the first call that failed, if any did: the message of a failed run. */
  Optional<Status> firstFailure() {
    return Optional.ofNullable(firstFailure.get());
  }
}
