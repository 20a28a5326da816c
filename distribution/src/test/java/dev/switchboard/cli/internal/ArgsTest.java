package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
  private static final Set<String> FLAGS = Set.of("--once", "--plaintext");
  private static final Set<String> OPTIONS = Set.of("--method", "-n", "--deadline");

  private static Args parse(String... argv) throws CliException {
    return Args.parse("call", List.of(argv), FLAGS, OPTIONS);
  }

  @Test
  void optionsTakeTheNextArgumentOrTheValueAfterAnEqualsSign() throws Exception {
    Args args = parse("dns:///x", "--method", "a/b", "-n=10", "--once");
    assertThat(args.option("--method")).contains("a/b");
    assertThat(args.intOption("-n", 1, 1, 100)).isEqualTo(10);
    assertThat(args.flag("--once")).isTrue();
    assertThat(args.flag("--plaintext")).isFalse();
    assertThat(args.single("target")).isEqualTo("dns:///x");
  }

  @Test
  void doubleDashEndsTheOptions() throws Exception {
    assertThat(parse("--", "--once", "-x").positional()).containsExactly("--once", "-x");
  }

  @Test
  void unknownOptionIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> parse("--methd", "x"))
        .isInstanceOf(CliException.class)
        .hasMessage("call: unknown option '--methd' (expected one of: --deadline, --method, --once,"
            + " --plaintext, -n)")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(2));
  }

  @Test
  void optionWithoutValueIsAnError() {
    assertThatThrownBy(() -> parse("x", "--method")).hasMessage("call: --method needs a value");
  }

  @Test
  void optionGivenTwiceIsAnError() {
    assertThatThrownBy(() -> parse("-n", "1", "-n", "2")).hasMessage("call: -n given twice");
  }

  @Test
  void flagWithValueIsAnError() {
    assertThatThrownBy(() -> parse("--once=yes")).hasMessage("call: --once takes no value");
  }

  @Test
  void integerOutOfRangeNamesTheRange() {
    assertThatThrownBy(() -> parse("-n", "0").intOption("-n", 1, 1, 1000))
        .hasMessage("call: -n 0 (expected: an integer 1-1000)");
    assertThatThrownBy(() -> parse("-n", "ten").intOption("-n", 1, 1, 1000))
        .hasMessage("call: -n ten (expected: an integer 1-1000)");
  }

  @Test
  void durationsTakeAUnit() throws Exception {
    assertThat(parse("--deadline", "500ms").durationOption("--deadline")).contains(Duration.ofMillis(500));
    assertThat(parse("--deadline", "2s").durationOption("--deadline")).contains(Duration.ofSeconds(2));
    assertThat(parse("--deadline", "1m").durationOption("--deadline")).contains(Duration.ofMinutes(1));
    assertThat(parse().durationOption("--deadline")).isEmpty();
    assertThatThrownBy(() -> parse("--deadline", "5").durationOption("--deadline"))
        .hasMessage("call: --deadline 5 (expected: a positive duration such as 500ms, 2s, 1m)");
    assertThatThrownBy(() -> parse("--deadline", "0s").durationOption("--deadline"))
        .hasMessageContaining("positive duration");
  }

  @Test
  void singlePositionalIsRequired() {
    assertThatThrownBy(() -> parse().single("target")).hasMessage("call: expected one target, got none");
    assertThatThrownBy(() -> parse("a", "b").single("target"))
        .hasMessage("call: expected one target, got 2: a b");
  }
}
