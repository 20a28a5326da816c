package dev.switchboard.cli.internal;

import java.io.PrintStream;

/**
 * A one-line progress bar for long runs on a terminal, {@code [#########...........]  450/1000},
 * redrawn in place with a carriage return each time it grows by a step, and ended with a line
 * feed. A disabled bar prints nothing (output that is not a terminal, or a short run).
 *
 * <p>Thread-safe: calls complete on many threads.
 */
final class ProgressBar {
  /** Runs shorter than this get no bar. */
  static final int MIN_TOTAL = 100;
  static final int WIDTH = 40;

  private final PrintStream out;
  private final int total;
  private final boolean enabled;
  private int done;
  private int drawnWidth = -1;
  private boolean finished;

  ProgressBar(PrintStream out, int total, boolean enabled) {
    this.out = out;
    this.total = total;
    this.enabled = enabled && total >= MIN_TOTAL;
  }

  /** Returns a bar that draws only when the process writes to a terminal. */
  static ProgressBar forTerminal(PrintStream out, int total) {
    return new ProgressBar(out, total, System.console() != null);
  }

  /** Counts one finished call, redrawing when the bar grows. */
  synchronized void step() {
    if (!enabled || finished) {
      return;
    }
    done = Math.min(done + 1, total);
    int width = (int) ((long) done * WIDTH / total);
    if (width != drawnWidth || done == total) {
      drawnWidth = width;
      String count = Integer.toString(total);
      out.print("\r[" + "#".repeat(width) + ".".repeat(WIDTH - width) + "]  "
          + " ".repeat(count.length() - Integer.toString(done).length()) + done + "/" + count);
      out.flush();
    }
  }

  /** Ends the bar's line, so that what follows starts on a line of its own. */
  synchronized void finish() {
    if (enabled && !finished && drawnWidth >= 0) {
      out.print('\n');
      out.flush();
    }
    finished = true;
  }
}
