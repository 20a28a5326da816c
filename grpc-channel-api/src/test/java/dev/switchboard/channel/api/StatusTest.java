package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class StatusTest {

  @Test
  void everyCodeRoundTripsThroughItsWireValue() {
    assertThat(Status.Code.values()).hasSize(17);
    for (int value = 0; value <= 16; value++) {
      Status.Code code = Status.Code.fromValue(value).orElseThrow();
      assertThat(code.value()).isEqualTo(value);
      assertThat(code.ordinal()).isEqualTo(value);
      assertThat(Status.fromCodeValue(value)).isSameAs(code.toStatus());
    }
    assertThat(Status.Code.UNAUTHENTICATED.value()).isEqualTo(16);
    assertThat(Status.Code.UNAVAILABLE.value()).isEqualTo(14);
  }

  @Test
  void constantsAreTheCodesStatuses() {
    assertThat(Status.OK).isSameAs(Status.Code.OK.toStatus());
    assertThat(Status.UNAVAILABLE.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Status.OK.isOk()).isTrue();
    assertThat(Status.CANCELLED.isOk()).isFalse();
    assertThat(Status.OK.description()).isEmpty();
    assertThat(Status.OK.cause()).isEmpty();
  }

  @Test
  void unknownWireValueIsUnknownNamingTheValue() {
    assertThat(Status.Code.fromValue(17)).isEmpty();
    assertThat(Status.Code.fromValue(-1)).isEmpty();

    Status s = Status.fromCodeValue(42);

    assertThat(s.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(s.description()).contains("unknown status code 42");
    assertThat(Status.fromCodeValue(-7).description()).contains("unknown status code -7");
  }

  @Test
  void withDescriptionAndWithCauseKeepTheOtherParts() {
    IOException cause = new IOException("reset");
    Status s = Status.UNAVAILABLE.withDescription("backend down").withCause(cause);

    assertThat(s.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(s.description()).contains("backend down");
    assertThat(s.cause()).containsSame(cause);
    assertThat(s.withDescription("other").cause()).containsSame(cause);
    assertThat(Status.UNAVAILABLE.description()).isEmpty();
  }

  @Test
  void augmentDescriptionAppendsOnANewLine() {
    assertThat(Status.INTERNAL.augmentDescription("first").description()).contains("first");
    assertThat(Status.INTERNAL.withDescription("first").augmentDescription("second").description())
        .contains("first\nsecond");
    IOException cause = new IOException();
    assertThat(Status.INTERNAL.withCause(cause).augmentDescription("x").cause()).containsSame(cause);
    assertThatThrownBy(() -> Status.INTERNAL.augmentDescription(null)).hasMessage("additional");
  }

  @Test
  void fromThrowableFindsAStatusExceptionAnywhereInTheCauseChain() {
    Status inner = Status.DEADLINE_EXCEEDED.withDescription("too slow");
    Throwable chain = new IllegalStateException("outer",
        new UncheckedIOException(new IOException("io", inner.asException())));

    assertThat(Status.fromThrowable(chain)).isSameAs(inner);
    assertThat(Status.fromThrowable(inner.asException())).isSameAs(inner);
  }

  @Test
  void fromThrowableWithoutStatusIsUnknownWithTheThrowableAsCause() {
    IllegalStateException t = new IllegalStateException("boom");

    Status s = Status.fromThrowable(t);

    assertThat(s.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(s.description()).contains("java.lang.IllegalStateException: boom");
    assertThat(s.cause()).containsSame(t);
  }

  @Test
  void fromThrowableSurvivesACauseCycle() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalArgumentException b = new IllegalArgumentException("b", a);
    a.initCause(b);

    assertThat(Status.fromThrowable(a).code()).isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void exceptionCarriesStatusTrailersAndCause() {
    IOException cause = new IOException("reset");
    Metadata trailers = new Metadata();
    trailers.putAscii("x-detail", "d");

    StatusException e = Status.UNAVAILABLE.withDescription("down").withCause(cause).asException(trailers);

    assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.trailers()).isSameAs(trailers);
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(e.getMessage()).startsWith("UNAVAILABLE: down");
    assertThat(Status.OK.asException().trailers().size()).isZero();
  }

  @Test
  void toStringShowsCodeDescriptionAndCause() {
    assertThat(Status.NOT_FOUND).hasToString("NOT_FOUND");
    assertThat(Status.NOT_FOUND.withDescription("no such user")).hasToString("NOT_FOUND: no such user");
    assertThat(Status.NOT_FOUND.withCause(new IOException("x")).toString())
        .isEqualTo("NOT_FOUND (cause: java.io.IOException: x)");
  }
}
