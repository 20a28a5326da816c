package dev.switchboard.channel.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusProtoTest {
  private static final Metadata.Key<String> OTHER = Metadata.Key.of("other", Metadata.ASCII_STRING_MARSHALLER);

  private static dev.switchboard.channel.protobuf.rpc.Status details(int code) {
    return dev.switchboard.channel.protobuf.rpc.Status.newBuilder()
        .setCode(code)
        .setMessage("quota exceeded for project p-1")
        .addDetails(Any.pack(Duration.newBuilder().setSeconds(30).build()))
        .build();
  }

  @Test
  void exceptionCarriesTheCodeTheMessageAndTheDetailsWhichReadBack() throws Exception {
    StatusException e = StatusProto.toStatusException(details(8));
    assertThat(e.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.status().description()).contains("quota exceeded for project p-1");
    assertThat(e.trailers().keys()).containsExactly(StatusProto.DETAILS_KEY_NAME);
    dev.switchboard.channel.protobuf.rpc.Status back = StatusProto.fromThrowable(e).orElseThrow();
    assertThat(back).isEqualTo(details(8));
    assertThat(back.getDetails(0).unpack(Duration.class).getSeconds()).isEqualTo(30);
  }

  @Test
  void detailsSurviveTheWireFormOfTheTrailer() {
    StatusException e = StatusProto.toStatusException(details(8));
    Metadata received = new Metadata();
    received.putBinary(StatusProto.DETAILS_KEY_NAME,
        e.trailers().get(Metadata.Key.of(StatusProto.DETAILS_KEY_NAME, Metadata.BINARY_BYTE_MARSHALLER)).orElseThrow());
    assertThat(StatusProto.fromStatusAndTrailers(e.status(), received)).isEqualTo(details(8));
  }

  @Test
  void givenTrailersKeepTheirEntriesAndGetTheDetailsOnce() {
    Metadata trailers = new Metadata();
    trailers.put(OTHER, "kept");
    StatusProto.toStatusException(details(5), trailers);
    StatusException e = StatusProto.toStatusException(details(5), trailers);
    assertThat(e.trailers().get(OTHER)).contains("kept");
    assertThat(e.trailers().getAll(Metadata.Key.of(StatusProto.DETAILS_KEY_NAME,
        Metadata.BINARY_BYTE_MARSHALLER))).hasSize(1);
  }

  @Test
  void okCannotBeAnException() {
    assertThatThrownBy(() -> StatusProto.toStatusException(details(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("code 0");
  }

  @Test
  void aCodeGrpcDoesNotDefineBecomesUnknown() {
    StatusException e = StatusProto.toStatusException(details(42));
    assertThat(e.status().code()).isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void withoutDetailsTheCallsOwnStatusIsTheAnswer() {
    Status status = Status.NOT_FOUND.withDescription("no such order");
    dev.switchboard.channel.protobuf.rpc.Status answer = StatusProto.fromStatusAndTrailers(status, new Metadata());
    assertThat(answer.getCode()).isEqualTo(5);
    assertThat(answer.getMessage()).isEqualTo("no such order");
    assertThat(answer.getDetailsList()).isEmpty();
    assertThat(StatusProto.fromStatusAndTrailers(Status.INTERNAL, new Metadata()).getMessage()).isEmpty();
  }

  @Test
  void detailsWhoseCodeDiffersFromTheCallsStatusAreNotBelieved() {
    StatusException sent = StatusProto.toStatusException(details(8));
    Status actual = Status.PERMISSION_DENIED.withDescription("denied");
    dev.switchboard.channel.protobuf.rpc.Status answer = StatusProto.fromStatusAndTrailers(actual, sent.trailers());
    assertThat(answer.getCode()).isEqualTo(7);
    assertThat(answer.getMessage()).isEqualTo("denied");
    assertThat(answer.getDetailsList()).isEmpty();
  }

  @Test
  void corruptDetailsAreIgnoredForTheCallsOwnStatus() {
    Metadata trailers = new Metadata();
    trailers.putBinary(StatusProto.DETAILS_KEY_NAME, new byte[] {0x1a, 0x7f, 0x00});
    dev.switchboard.channel.protobuf.rpc.Status answer =
        StatusProto.fromStatusAndTrailers(Status.UNAVAILABLE.withDescription("gone"), trailers);
    assertThat(answer.getCode()).isEqualTo(14);
    assertThat(answer.getMessage()).isEqualTo("gone");
  }

  @Test
  void fromThrowableFindsTheExceptionInTheCauseChainAndNothingElsewhere() {
    StatusException e = StatusProto.toStatusException(details(8));
    RuntimeException wrapper = new RuntimeException("outer", new IllegalStateException("mid", e));
    assertThat(StatusProto.fromThrowable(wrapper)).contains(details(8));
    assertThat(StatusProto.fromThrowable(new IllegalStateException("plain"))).isEqualTo(Optional.empty());
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(StatusProto.fromThrowable(a)).isEmpty();
  }
}
