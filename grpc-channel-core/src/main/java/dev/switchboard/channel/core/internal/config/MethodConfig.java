package dev.switchboard.channel.core.internal.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The settings of one {@code methodConfig} entry of a service config that the channel applies to a
 * call. {@code CallOptions} set by the application win over them.
 *
 * <p>Immutable.
 *
 * @see dev.switchboard.channel.api.CallOptions
 */
public final class MethodConfig {

  /** No setting. */
  public static final MethodConfig EMPTY = new MethodConfig(null, null, -1, -1);

  private final Duration timeout;
  private final Boolean waitForReady;
  private final int maxRequestMessageBytes;
  private final int maxResponseMessageBytes;

  MethodConfig(Duration timeout, Boolean waitForReady, int maxRequestBytes, int maxResponseBytes) {
    this.timeout = timeout;
    this.waitForReady = waitForReady;
    this.maxRequestMessageBytes = maxRequestBytes;
    this.maxResponseMessageBytes = maxResponseBytes;
  }

  /** Returns the call timeout, if set. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Returns the wait-for-ready setting, if set. */
  public Optional<Boolean> waitForReady() {
    return Optional.ofNullable(waitForReady);
  }

  /** Returns the maximum request message size, if set. */
  public OptionalInt maxRequestMessageBytes() {
    return maxRequestMessageBytes < 0 ? OptionalInt.empty() : OptionalInt.of(maxRequestMessageBytes);
  }

  /** Returns the maximum response message size, if set. */
  public OptionalInt maxResponseMessageBytes() {
    return maxResponseMessageBytes < 0 ? OptionalInt.empty() : OptionalInt.of(maxResponseMessageBytes);
  }

  @Override
  public String toString() {
    return "MethodConfig{timeout=" + timeout + ", waitForReady=" + waitForReady
        + ", maxRequestMessageBytes=" + maxRequestMessageBytes
        + ", maxResponseMessageBytes=" + maxResponseMessageBytes + "}";
  }
}
