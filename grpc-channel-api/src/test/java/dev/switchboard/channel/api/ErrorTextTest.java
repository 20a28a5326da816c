package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTextTest {

  @Test
  void shortValuesAreQuotedWhole() {
    assertThat(ErrorText.quote("orders:443")).isEqualTo("'orders:443'");
    assertThat(ErrorText.quote("")).isEqualTo("''");
    assertThat(ErrorText.quote(null)).isEqualTo("null");
  }

  @Test
  void longValuesAreCutSayingHowLongTheyWere() {
    String quoted = ErrorText.quote("p".repeat(10_000_000));
    assertThat(quoted).isEqualTo("'" + "p".repeat(ErrorText.MAX_QUOTED_CHARS) + "…' (10000000 characters)");
  }

  @Test
  void valuesOfExactlyTheLimitAreNotCutAndOneMoreIs() {
    String atLimit = "x".repeat(ErrorText.MAX_QUOTED_CHARS);
    assertThat(ErrorText.quote(atLimit)).isEqualTo("'" + atLimit + "'");
    assertThat(ErrorText.quote(atLimit + "y")).endsWith("…' (101 characters)");
  }

  @Test
  void controlCharactersQuotesAndLineBreaksAreEscapedToOneLine() {
    assertThat(ErrorText.quote("a\nb\r\tc\u0000d'e\\f\u2028g\u007f"))
        .isEqualTo("'a\\nb\\r\\tc\\u0000d\\'e\\\\f\\u2028g\\u007f'");
  }

  @Test
  void surrogatePairsStayWholeAndLoneSurrogatesAreEscaped() {
    assertThat(ErrorText.quote("\ud83d\ude08")).isEqualTo("'\ud83d\ude08'");
    assertThat(ErrorText.quote("a\ud800b")).isEqualTo("'a\\ud800b'");
    String pairAtTheCut = "x".repeat(ErrorText.MAX_QUOTED_CHARS - 1) + "\ud83d\ude08" + "tail";
    assertThat(ErrorText.quote(pairAtTheCut))
        .isEqualTo("'" + "x".repeat(ErrorText.MAX_QUOTED_CHARS - 1) + "…' (105 characters)");
  }
}
