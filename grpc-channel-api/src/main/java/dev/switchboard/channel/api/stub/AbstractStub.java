package dev.switchboard.channel.api.stub;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientInterceptor;
import dev.switchboard.channel.api.Deadline;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The base of generated stubs, as grpc-java's {@code AbstractStub}: a {@link Channel} and the
 * {@link CallOptions} every call of the stub is made with. Each {@code with*} method returns a new
 * stub of the same kind with one option changed; the stub it is called on is left as it is, so a
 * stub can be configured once and shared.
 *
 * <pre>{@code
 * SwitchboardGreeterGrpc.GreeterBlockingStub greeter = SwitchboardGreeterGrpc.newBlockingStub(channel)
 *     .withDeadlineAfter(Duration.ofSeconds(2))
 *     .withWaitForReady();
 * }</pre>
 *
 * <p>Subclasses implement {@link #build} and add one method per RPC; protoc-gen-switchboard
 * generates them. A deadline set here is fixed when it is set (as in grpc-java): a stub kept for
 * later calls should be given {@code withDeadlineAfter} just before each call.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <S> the concrete stub type
 * @since 0.1
 */
public abstract class AbstractStub<S extends AbstractStub<S>> {

  /**
   * Creates stubs of one kind; generated code passes the stub's constructor.
   *
   * <p>Implementations are thread-safe.
   *
   * @param <T> the stub type
   * @since 0.1
   */
  @FunctionalInterface
  public interface StubFactory<T extends AbstractStub<T>> {
    /** Returns a stub on {@code channel} whose calls use {@code callOptions}. */
    T newStub(Channel channel, CallOptions callOptions);
  }

  private final Channel channel;
  private final CallOptions callOptions;

  /** Creates a stub on {@code channel} with {@link CallOptions#DEFAULT}. */
  protected AbstractStub(Channel channel) {
    this(channel, CallOptions.DEFAULT);
  }

  /** Creates a stub on {@code channel} whose calls use {@code callOptions}. */
  protected AbstractStub(Channel channel, CallOptions callOptions) {
    this.channel = requireNonNull(channel, "channel");
    this.callOptions = requireNonNull(callOptions, "callOptions");
  }

  /**
   * Returns a stub of this kind on {@code channel} with {@code callOptions}; the {@code with*}
   * methods call it.
   */
  protected abstract S build(Channel channel, CallOptions callOptions);

  /**
   * Returns a stub made by {@code factory} on {@code channel} with {@link CallOptions#DEFAULT}.
   */
  public static <T extends AbstractStub<T>> T newStub(StubFactory<T> factory, Channel channel) {
    return newStub(factory, channel, CallOptions.DEFAULT);
  }

  /** Returns a stub made by {@code factory} on {@code channel} with {@code callOptions}. */
  public static <T extends AbstractStub<T>> T newStub(
      StubFactory<T> factory, Channel channel, CallOptions callOptions) {
    requireNonNull(factory, "factory");
    return requireNonNull(factory.newStub(requireNonNull(channel, "channel"),
        requireNonNull(callOptions, "callOptions")), "the stub the factory made");
  }

  /** Returns the channel the stub's calls go to (wrapped by its interceptors, if any). */
  public final Channel channel() {
    return channel;
  }

  /** Returns the options every call of this stub is made with. */
  public final CallOptions callOptions() {
    return callOptions;
  }

  /** Returns a stub whose calls use {@code callOptions} instead of this stub's options. */
  public final S withCallOptions(CallOptions callOptions) {
    return build(channel, requireNonNull(callOptions, "callOptions"));
  }

  /** Returns a stub whose calls end at {@code deadline}. */
  public final S withDeadline(Deadline deadline) {
    return build(channel, callOptions.withDeadline(deadline));
  }

  /**
   * Returns a stub whose calls end {@code timeout} after this method is called (not after each call
   * starts).
   */
  public final S withDeadlineAfter(Duration timeout) {
    return build(channel, callOptions.withDeadlineAfter(timeout));
  }

  /**
   * Returns a stub whose calls end {@code duration unit} after this method is called (not after
   * each call starts), as grpc-java's {@code withDeadlineAfter(long, TimeUnit)}.
   */
  public final S withDeadlineAfter(long duration, TimeUnit unit) {
    return build(channel, callOptions.withDeadline(Deadline.after(duration, requireNonNull(unit, "unit"))));
  }

  /** Returns a stub whose calls have no deadline. */
  public final S withoutDeadline() {
    return build(channel, callOptions.withoutDeadline());
  }

  /**
   * Returns a stub whose calls wait for a ready connection instead of failing fast on a transient
   * failure (see {@link CallOptions#withWaitForReady()}).
   */
  public final S withWaitForReady() {
    return build(channel, callOptions.withWaitForReady());
  }

  /**
   * Returns a stub whose calls run their callbacks (the response observers of an async stub, the
   * completion of a future stub's futures) on {@code executor}. Blocking stubs ignore it: their
   * callbacks run on the calling thread.
   */
  public final S withExecutor(Executor executor) {
    return build(channel, callOptions.withExecutor(executor));
  }

  /** Returns a stub whose calls compress their requests with {@code compressorName} ("gzip"). */
  public final S withCompression(String compressorName) {
    return build(channel, callOptions.withCompression(compressorName));
  }

  /** Returns a stub whose calls accept response messages of at most {@code bytes}. */
  public final S withMaxInboundMessageSize(int bytes) {
    return build(channel, callOptions.withMaxInboundMessageSize(bytes));
  }

  /** Returns a stub whose calls send request messages of at most {@code bytes}. */
  public final S withMaxOutboundMessageSize(int bytes) {
    return build(channel, callOptions.withMaxOutboundMessageSize(bytes));
  }

  /** Returns a stub whose calls carry the custom option {@code key} set to {@code value}. */
  public final <T> S withOption(CallOptions.Key<T> key, T value) {
    return build(channel, callOptions.withOption(key, value));
  }

  /**
   * Returns a stub whose calls go through {@code interceptors} before this stub's channel. The
   * order is {@link ClientInterceptors#intercept}'s: {@code interceptors[0]} sees each call first
   * (grpc-java's {@code withInterceptors} runs the last one first). Interceptors added by a later
   * {@code withInterceptors} see the calls before those added earlier.
   */
  public final S withInterceptors(ClientInterceptor... interceptors) {
    return build(ClientInterceptors.intercept(channel, interceptors), callOptions);
  }
}
