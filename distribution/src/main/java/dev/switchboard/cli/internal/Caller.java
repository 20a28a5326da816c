package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Status;

/**
 * Makes one call through the channel, for {@code call} and {@code demo}; what is called and how the
 * answering backend is known are the implementation's business.
 *
 * <p>Implementations are thread-safe: {@link CallRunner} calls from several threads at once.
 */
interface Caller {

  /**
   * Makes one call and returns which backend answered (or {@link CallStats#NO_BACKEND}), its status
   * code and its latency. A failed call is an outcome, not an exception.
   */
  Outcome call() throws InterruptedException;

  /**
   * What one call came to. Immutable.
   *
   * @param backend the backend that answered, or {@link CallStats#NO_BACKEND}
   * @param code the call's status code
   * @param latencyNanos from the start of the call to its close
   */
  record Outcome(String backend, Status.Code code, long latencyNanos) {
    /** Checks the components. */
    public Outcome {
      requireNonNull(backend, "backend");
      requireNonNull(code, "code");
    }
  }
}
