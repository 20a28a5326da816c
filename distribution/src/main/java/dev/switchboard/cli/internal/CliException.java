package dev.switchboard.cli.internal;

/**
 * Ends a command with a one-line message on stderr and a non-zero exit code; never shown as a stack
 * trace.
 *
 * <p>Immutable.
 */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Exit code of a command that ran and failed. */
  static final int FAILURE = 1;
  /** Exit code of a command given bad arguments. */
  static final int USAGE = 2;

  private final int exitCode;

  private CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** Bad arguments: exit code 2. */
  static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  /** The command ran and failed: exit code 1. */
  static CliException failure(String message) {
    return new CliException(FAILURE, message);
  }

  /** Returns this error with {@code prefix} ({@code "call: "}) before its message, same exit code. */
  CliException withPrefix(String prefix) {
    return new CliException(exitCode, prefix + getMessage());
  }

  int exitCode() {
    return exitCode;
  }
}
