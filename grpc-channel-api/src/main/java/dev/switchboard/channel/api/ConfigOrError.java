package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Either a parsed configuration or the error that prevented parsing. Config parsers return it
 * instead of throwing, so that a broken config is a value the channel can report and survive.
 *
 * <p>Immutable.
 *
 * @param <T> the type of the parsed configuration
 * @since 0.1
 */
public final class ConfigOrError<T> {
  private final T config;
  private final Status error;

  private ConfigOrError(T config, Status error) {
    this.config = config;
    this.error = error;
  }

  /** Returns a successful result. */
  public static <T> ConfigOrError<T> of(T config) {
    return new ConfigOrError<>(requireNonNull(config, "config"), null);
  }

  /** Returns a failed result; {@code error} must not be OK and should name what was wrong. */
  public static <T> ConfigOrError<T> fromError(Status error) {
    requireNonNull(error, "error");
    if (error.isOk()) {
      throw new IllegalArgumentException("error: " + error + " (expected: not OK)");
    }
    return new ConfigOrError<>(null, error);
  }

  /** Returns the config, or empty if parsing failed. */
  public Optional<T> config() {
    return Optional.ofNullable(config);
  }

  /** Returns the error, or {@link Status#OK} if parsing succeeded. */
  public Status status() {
    return error == null ? Status.OK : error;
  }

  /** Returns whether parsing succeeded. */
  public boolean isOk() {
    return error == null;
  }

  @Override
  public String toString() {
    return error == null ? "ConfigOrError{config=" + config + "}" : "ConfigOrError{error=" + error + "}";
  }
}
