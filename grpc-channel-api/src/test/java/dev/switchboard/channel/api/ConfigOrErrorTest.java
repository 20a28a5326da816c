package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigOrErrorTest {

  @Test
  void successHoldsTheConfigAndAnOkStatus() {
    ConfigOrError<String> c = ConfigOrError.of("cfg");

    assertThat(c.isOk()).isTrue();
    assertThat(c.config()).contains("cfg");
    assertThat(c.status()).isSameAs(Status.OK);
    assertThat(c).hasToString("ConfigOrError{config=cfg}");
  }

  @Test
  void failureHoldsTheErrorAndNoConfig() {
    Status error = Status.INVALID_ARGUMENT.withDescription("bad field 'x'");

    ConfigOrError<String> c = ConfigOrError.fromError(error);

    assertThat(c.isOk()).isFalse();
    assertThat(c.config()).isEmpty();
    assertThat(c.status()).isSameAs(error);
    assertThat(c.toString()).contains("bad field 'x'");
  }

  @Test
  void okIsNotAnError() {
    assertThatThrownBy(() -> ConfigOrError.fromError(Status.OK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("error: OK (expected: not OK)");
  }

  @Test
  void nullsAreRefusedByName() {
    assertThatThrownBy(() -> ConfigOrError.of(null)).hasMessage("config");
    assertThatThrownBy(() -> ConfigOrError.fromError(null)).hasMessage("error");
  }
}
