package dev.switchboard.cli.internal;

import java.util.List;

/**
 * The launcher's entry: {@code bin/switchboard} runs {@code dev.switchboard.cli/
 * dev.switchboard.cli.internal.Main}.
 *
 * <p>Its commands are short-lived processes, so the channel runs on NIO unless
 * {@code -Dswitchboard.transport.nio=false} is given (for the launcher: in {@code JDK_JAVA_OPTIONS}):
 * native epoll saves little over a few calls and costs about 50 ms of start-up to extract and load.
 *
 * <p>It exits explicitly, so no thread left behind (Netty's global event executor lingers about a
 * second after its last task) delays the end of the process.
 *
 * <p>Thread-safe (stateless).
 */
public final class Main {
  private static final String NIO_PROPERTY = "switchboard.transport.nio";

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    if (System.getProperty(NIO_PROPERTY) == null) {
      System.setProperty(NIO_PROPERTY, "true");
    }
    int code = new Cli(System.in, System.out, System.err, System.getenv(), ImageDefaults.load())
        .run(List.of(args));
    System.exit(code);
  }
}
