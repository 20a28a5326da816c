package dev.switchboard.channel.api.stub;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;

/**
 * A stub whose methods take a {@link StreamObserver} for the responses and return at once; client-
 * and bidi-streaming methods return a {@link ClientCallStreamObserver} for the requests (see the
 * asynchronous methods of {@link ClientCalls}). The base of generated {@code *AsyncStub} classes,
 * as grpc-java's {@code AbstractAsyncStub}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Generated code creates stubs with {@code AbstractAsyncStub.newStub(<Stub>::new, channel)}
 * ({@link AbstractStub#newStub}).
 *
 * @param <S> the concrete stub type
 * @since 0.1
 */
public abstract class AbstractAsyncStub<S extends AbstractAsyncStub<S>> extends AbstractStub<S> {

  /** Creates a stub on {@code channel} whose calls use {@code callOptions}. */
  protected AbstractAsyncStub(Channel channel, CallOptions callOptions) {
    super(channel, callOptions);
  }
}
