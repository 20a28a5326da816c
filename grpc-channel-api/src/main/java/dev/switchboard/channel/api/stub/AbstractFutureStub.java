package dev.switchboard.channel.api.stub;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;

/**
 * A stub whose unary methods return a {@link java.util.concurrent.CompletableFuture} of the
 * response (see {@link ClientCalls#futureUnaryCall}): it completes with the response or
 * exceptionally with a {@link dev.switchboard.channel.api.StatusException}, and cancelling it
 * cancels the call. Streaming RPCs are on the async stub only. The base of generated {@code
 * *FutureStub} classes, as grpc-java's {@code AbstractFutureStub}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Generated code creates stubs with {@code AbstractFutureStub.newStub(<Stub>::new, channel)}
 * ({@link AbstractStub#newStub}).
 *
 * @param <S> the concrete stub type
 * @since 0.1
 */
public abstract class AbstractFutureStub<S extends AbstractFutureStub<S>> extends AbstractStub<S> {

  /** Creates a stub on {@code channel} whose calls use {@code callOptions}. */
  protected AbstractFutureStub(Channel channel, CallOptions callOptions) {
    super(channel, callOptions);
  }
}
