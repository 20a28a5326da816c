package dev.switchboard.cli.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link Cli} in process, as {@code bin/switchboard} would with no environment and no image
 * defaults, with stdin given and stdout and stderr captured (over every run of this instance).
 *
 * <p>Not thread-safe: one test uses it from one thread.
 */
final class CapturedCli {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs {@code argv} with an empty stdin and returns the exit code. */
  int run(String... argv) {
    return run(InputStream.nullInputStream(), List.of(argv));
  }

  /** Runs {@code argv} with {@code stdin} and returns the exit code. */
  int run(InputStream stdin, List<String> argv) {
    return new Cli(stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), ImageDefaults.NONE).run(argv);
  }

  /** Returns a stdin that holds {@code text}. */
  static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns what the runs wrote to stdout. */
  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Returns what the runs wrote to stderr. */
  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
