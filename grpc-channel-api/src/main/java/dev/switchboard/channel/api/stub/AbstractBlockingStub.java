package dev.switchboard.channel.api.stub;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;

/**
 * A stub whose methods block until their call ends: a unary RPC returns its response, a
 * server-streaming RPC returns a blocking {@link java.util.Iterator} of its responses (see {@link
 * ClientCalls#blockingUnaryCall} and {@link ClientCalls#blockingServerStreamingCall}). Failures
 * throw {@link dev.switchboard.channel.api.StatusException}. Client- and bidi-streaming RPCs are on
 * the async stub only. The base of generated {@code *BlockingStub} classes, as grpc-java's {@code
 * AbstractBlockingStub}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Generated code creates stubs with {@code AbstractBlockingStub.newStub(<Stub>::new, channel)}
 * ({@link AbstractStub#newStub}).
 *
 * @param <S> the concrete stub type
 * @since 0.1
 */
public abstract class AbstractBlockingStub<S extends AbstractBlockingStub<S>> extends AbstractStub<S> {

  /** Creates a stub on {@code channel} whose calls use {@code callOptions}. */
  protected AbstractBlockingStub(Channel channel, CallOptions callOptions) {
    super(channel, callOptions);
  }
}
