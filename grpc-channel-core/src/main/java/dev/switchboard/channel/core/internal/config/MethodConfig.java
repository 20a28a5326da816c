package dev.switchboard.channel.core.internal.config;

// STUB until main lands: delete before merging main.
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** STUB. */
public record MethodConfig(Optional<Duration> timeout, Optional<Boolean> waitForReady,
    OptionalInt maxRequestMessageBytes, OptionalInt maxResponseMessageBytes) {
  /** Stub. */
  public static final MethodConfig EMPTY =
      new MethodConfig(Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
}
