package dev.switchboard.channel.testing.backend.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtoCodecTest {

  @Test
  void fieldsRoundTripIncludingNegativeInt32() {
    byte[] bytes = new ProtoWriter().string(1, "ab").int32(2, -1).int32(3, 300).toByteArray();

    ProtoReader r = new ProtoReader(bytes);
    assertThat(r.next()).isEqualTo(1);
    assertThat(r.string()).isEqualTo("ab");
    assertThat(r.next()).isEqualTo(2);
    assertThat(r.int32()).isEqualTo(-1);
    assertThat(r.next()).isEqualTo(3);
    assertThat(r.int32()).isEqualTo(300);
    assertThat(r.next()).isZero();
  }

  @Test
  void encodingMatchesProtobuf() {
    // Values from the protobuf encoding guide: field 1 = 150 is 08 96 01; "testing" in field 2.
    assertThat(new ProtoWriter().int32(1, 150).toByteArray())
        .containsExactly(0x08, 0x96, 0x01);
    assertThat(new ProtoWriter().string(2, "testing").toByteArray())
        .containsExactly(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g');
    assertThat(new ProtoWriter().int32(1, -1).toByteArray()).hasSize(11);
    assertThat(new ProtoWriter().int32(1, 0).string(2, "").toByteArray()).isEmpty();
  }

  @Test
  void unknownFieldsOfEveryWireTypeAreSkipped() {
    byte[] bytes = {
        0x08, 0x01,                     // 1: varint
        0x11, 1, 2, 3, 4, 5, 6, 7, 8,   // 2: fixed64
        0x1a, 0x01, 'x',                // 3: bytes
        0x25, 1, 2, 3, 4,               // 4: fixed32
        0x2a, 0x02, 'o', 'k'};          // 5: the string we want
    ProtoReader r = new ProtoReader(bytes);
    int field;
    while ((field = r.next()) != 5) {
      r.skip();
    }
    assertThat(r.string()).isEqualTo("ok");
  }

  @Test
  void truncatedMessageIsRejected() {
    ProtoReader r = new ProtoReader(new byte[] {0x0a, 0x05, 'a'});
    r.next();
    assertThatThrownBy(r::string).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 5");
  }

  @Test
  void wrongWireTypeIsRejected() {
    ProtoReader r = new ProtoReader(new byte[] {0x08, 0x01});
    r.next();
    assertThatThrownBy(r::string).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wire type 0");
  }
}
