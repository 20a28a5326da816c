package dev.switchboard.cli.internal;

import java.util.List;

/**
 * The launcher's entry: {@code bin/switchboard} runs {@code dev.switchboard.cli/
 * dev.switchboard.cli.internal.Main}.
 *
 * <p>It exits explicitly, so no thread left behind (Netty's global event executor lingers about a
 * second after its last task) delays the end of the process.
 *
 * <p>Thread-safe (stateless).
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    int code = new Cli(System.out, System.err, System.getenv(), ImageDefaults.load())
        .run(List.of(args));
    System.exit(code);
  }
}
