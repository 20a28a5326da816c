package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;

/**
 * Per-call options: deadline, wait-for-ready, compression, message size limits, extra headers, the
 * executor for callbacks, and custom options that interceptors and balancers read.
 *
 * <p>Every {@code with*} method returns a new instance; {@link #DEFAULT} has none of them set.
 * Options missing here fall back to the method's service config, then to the channel's defaults.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class CallOptions {

  /** No option set. */
  public static final CallOptions DEFAULT = new CallOptions();

  /**
   * A typed key for a custom option. Compares by identity.
   *
   * @param <T> the value type
   * @since 0.1
   */
  public static final class Key<T> {
    private final String name;

    private Key(String name) {
      this.name = requireNonNull(name, "name");
    }

    /** Creates a key; the name is for debugging. */
    public static <T> Key<T> create(String name) {
      return new Key<>(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private Deadline deadline;
  private Boolean waitForReady;
  private String compressor;
  private int maxInboundMessageSize = -1;
  private int maxOutboundMessageSize = -1;
  private String authority;
  private Executor executor;
  private Metadata extraHeaders;
  private Map<Key<?>, Object> custom = Map.of();

  private CallOptions() {}

  private CallOptions copy() {
    CallOptions c = new CallOptions();
    c.deadline = deadline;
    c.waitForReady = waitForReady;
    c.compressor = compressor;
    c.maxInboundMessageSize = maxInboundMessageSize;
    c.maxOutboundMessageSize = maxOutboundMessageSize;
    c.authority = authority;
    c.executor = executor;
    c.extraHeaders = extraHeaders;
    c.custom = custom;
    return c;
  }

  /** Returns options with the given deadline. */
  public CallOptions withDeadline(Deadline deadline) {
    CallOptions c = copy();
    c.deadline = requireNonNull(deadline, "deadline");
    return c;
  }

  /** Returns options with a deadline {@code timeout} from now. */
  public CallOptions withDeadlineAfter(Duration timeout) {
    return withDeadline(Deadline.after(timeout));
  }

  /** Returns options without a deadline. */
  public CallOptions withoutDeadline() {
    CallOptions c = copy();
    c.deadline = null;
    return c;
  }

  /**
   * Returns options that make the call wait for a ready connection instead of failing fast on a
   * transient failure. Drops and the deadline still end it.
   */
  public CallOptions withWaitForReady() {
    CallOptions c = copy();
    c.waitForReady = Boolean.TRUE;
    return c;
  }

  /** Returns options that fail the call fast on a transient failure (the default). */
  public CallOptions withoutWaitForReady() {
    CallOptions c = copy();
    c.waitForReady = Boolean.FALSE;
    return c;
  }

  /** Returns options that compress request messages with {@code name} (for example "gzip"). */
  public CallOptions withCompression(String name) {
    CallOptions c = copy();
    c.compressor = requireNonNull(name, "name");
    return c;
  }

  /** Returns options limiting each received message to {@code bytes}. */
  public CallOptions withMaxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    CallOptions c = copy();
    c.maxInboundMessageSize = bytes;
    return c;
  }

  /** Returns options limiting each sent message to {@code bytes}. */
  public CallOptions withMaxOutboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    CallOptions c = copy();
    c.maxOutboundMessageSize = bytes;
    return c;
  }

  /** Returns options that send {@code authority} as {@code :authority} for this call. */
  public CallOptions withAuthority(String authority) {
    CallOptions c = copy();
    c.authority = requireNonNull(authority, "authority");
    return c;
  }

  /** Returns options that run the call's listener callbacks on {@code executor}. */
  public CallOptions withExecutor(Executor executor) {
    CallOptions c = copy();
    c.executor = requireNonNull(executor, "executor");
    return c;
  }

  /** Returns options that add a copy of {@code headers} to the call's request headers. */
  public CallOptions withExtraHeaders(Metadata headers) {
    Metadata copy = new Metadata();
    copy.merge(requireNonNull(headers, "headers"));
    CallOptions c = copy();
    c.extraHeaders = copy;
    return c;
  }

  /** Returns options with a custom option set. */
  public <T> CallOptions withOption(Key<T> key, T value) {
    Map<Key<?>, Object> m = new IdentityHashMap<>(custom);
    m.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    CallOptions c = copy();
    c.custom = m;
    return c;
  }

  /** Returns the deadline, if set. */
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** Returns whether the call waits for ready; empty when not set here. */
  public Optional<Boolean> waitForReady() {
    return Optional.ofNullable(waitForReady);
  }

  /** Returns whether wait-for-ready was set to true here. */
  public boolean isWaitForReady() {
    return Boolean.TRUE.equals(waitForReady);
  }

  /** Returns the name of the request compressor, if set. */
  public Optional<String> compression() {
    return Optional.ofNullable(compressor);
  }

  /** Returns the inbound message size limit, if set. */
  public OptionalInt maxInboundMessageSize() {
    return maxInboundMessageSize < 0 ? OptionalInt.empty() : OptionalInt.of(maxInboundMessageSize);
  }

  /** Returns the outbound message size limit, if set. */
  public OptionalInt maxOutboundMessageSize() {
    return maxOutboundMessageSize < 0 ? OptionalInt.empty() : OptionalInt.of(maxOutboundMessageSize);
  }

  /** Returns the authority override, if set. */
  public Optional<String> authority() {
    return Optional.ofNullable(authority);
  }

  /** Returns the callback executor, if set. */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /** Returns the extra request headers, if set. Do not mutate them. */
  public Optional<Metadata> extraHeaders() {
    return Optional.ofNullable(extraHeaders);
  }

  /** Returns a custom option, if set. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> option(Key<T> key) {
    return Optional.ofNullable((T) custom.get(key));
  }

  @Override
  public String toString() {
    return "CallOptions{deadline=" + deadline + ", waitForReady=" + waitForReady
        + ", compression=" + compressor + ", maxInbound=" + maxInboundMessageSize
        + ", maxOutbound=" + maxOutboundMessageSize + ", authority=" + authority
        + ", custom=" + custom.keySet() + "}";
  }
}
