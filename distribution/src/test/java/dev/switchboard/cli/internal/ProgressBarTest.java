package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String out() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void redrawsInPlaceOnlyWhenTheBarGrowsAndEndsTheLine() {
    ProgressBar bar = new ProgressBar(out, 200, true);
    for (int i = 0; i < 200; i++) {
      bar.step();
    }
    bar.finish();
    String[] frames = out().split("\r", -1);
    // The empty bar at the first call, then one frame per mark (40); nothing before the first
    // carriage return.
    assertThat(frames[0]).isEmpty();
    assertThat(frames).hasSize(42);
    assertThat(frames[1]).isEqualTo("[" + ".".repeat(40) + "]    1/200");
    assertThat(frames[2]).isEqualTo("[" + "#".repeat(1) + ".".repeat(39) + "]    5/200");
    assertThat(frames[41]).isEqualTo("[" + "#".repeat(40) + "]  200/200\n");
  }

  @Test
  void shortRunsAndNonTerminalsGetNoBar() {
    ProgressBar shortRun = new ProgressBar(out, ProgressBar.MIN_TOTAL - 1, true);
    ProgressBar notTerminal = new ProgressBar(out, 1000, false);
    for (int i = 0; i < 99; i++) {
      shortRun.step();
      notTerminal.step();
    }
    shortRun.finish();
    notTerminal.finish();
    assertThat(out()).isEmpty();
  }

  @Test
  void stepsAfterFinishDrawNothing() {
    ProgressBar bar = new ProgressBar(out, 100, true);
    bar.finish();
    bar.step();
    assertThat(out()).isEmpty();
  }
}
