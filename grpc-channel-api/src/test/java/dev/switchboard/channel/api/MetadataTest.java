package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataTest {

  private static final Metadata.Key<String> USER =
      Metadata.Key.of("x-user", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> TRACE =
      Metadata.Key.of("x-trace", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> BLOB =
      Metadata.Key.of("x-blob-bin", Metadata.BINARY_BYTE_MARSHALLER);

  @Test
  void keyNamesAreLowerCasedAndCompareByName() {
    Metadata.Key<String> upper = Metadata.Key.of("X-User", Metadata.ASCII_STRING_MARSHALLER);

    assertThat(upper.name()).isEqualTo("x-user");
    assertThat(upper).isEqualTo(USER).hasSameHashCodeAs(USER);
    assertThat(upper.isBinary()).isFalse();
    assertThat(BLOB.isBinary()).isTrue();
  }

  @Test
  void keyWithForbiddenCharacterNamesTheCharacterAndPosition() {
    assertThatThrownBy(() -> Metadata.Key.of("x user", Metadata.ASCII_STRING_MARSHALLER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata key 'x user' has ' ' at 1 (expected: [a-z0-9-_.])");
    assertThatThrownBy(() -> Metadata.Key.of(":path", Metadata.ASCII_STRING_MARSHALLER))
        .hasMessageContaining("':' at 0");
  }

  @Test
  void keyWithNonAsciiCharacterNamesItAtItsPositionInTheGivenName() {
    // 'İ' lower-cases to two characters: the position must still be that of the given name.
    assertThatThrownBy(() -> Metadata.Key.of("aİb", Metadata.ASCII_STRING_MARSHALLER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata key 'aİb' has 'İ' at 1 (expected: [a-z0-9-_.])");
  }

  @Test
  void emptyKeyIsRefused() {
    assertThatThrownBy(() -> Metadata.Key.of("", Metadata.ASCII_STRING_MARSHALLER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void binarySuffixMustMatchTheMarshaller() {
    assertThatThrownBy(() -> Metadata.Key.of("x-blob-bin", Metadata.ASCII_STRING_MARSHALLER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x-blob-bin' ends in -bin");
    assertThatThrownBy(() -> Metadata.Key.of("x-blob", Metadata.BINARY_BYTE_MARSHALLER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x-blob' does not end in -bin");
    assertThat(Metadata.Key.of("X-BLOB-BIN", Metadata.BINARY_BYTE_MARSHALLER).name()).isEqualTo("x-blob-bin");
  }

  @Test
  void asciiValuesMustBePrintable() {
    Metadata md = new Metadata();

    md.put(USER, " !~ printable ");
    assertThatThrownBy(() -> md.put(USER, "line\nbreak"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata value of 'x-user' has character 0xa at 4 (expected: printable ASCII)");
    assertThatThrownBy(() -> md.put(USER, "caf\u00e9")).hasMessageContaining("0xe9 at 3");
    assertThatThrownBy(() -> md.put(USER, "del\u007f")).hasMessageContaining("0x7f at 3");
    assertThat(md.getAll(USER)).containsExactly(" !~ printable ");
  }

  @Test
  void binaryValuesMayHoldAnyByte() {
    Metadata md = new Metadata();
    byte[] value = {0, (byte) 0xff, '\n'};

    md.put(BLOB, value);

    assertThat(md.get(BLOB)).hasValueSatisfying(v -> assertThat(v).containsExactly(0, (byte) 0xff, '\n'));
  }

  @Test
  void binaryValuesAreCopiedInAndOut() {
    Metadata md = new Metadata();
    byte[] value = {1, 2};
    md.put(BLOB, value);

    value[0] = 9;
    md.get(BLOB).orElseThrow()[1] = 9;

    assertThat(md.get(BLOB).orElseThrow()).containsExactly(1, 2);
  }

  @Test
  void getReturnsTheLastValueAndGetAllEveryValueInOrder() {
    Metadata md = new Metadata();
    md.put(USER, "a");
    md.put(TRACE, "t");
    md.put(USER, "b");

    assertThat(md.get(USER)).contains("b");
    assertThat(md.getAll(USER)).containsExactly("a", "b");
    assertThat(md.get(Metadata.Key.of("absent", Metadata.ASCII_STRING_MARSHALLER))).isEmpty();
    assertThat(md.keys()).containsExactly("x-user", "x-trace");
    assertThat(md.size()).isEqualTo(3);
    assertThat(md.containsKey(TRACE)).isTrue();
  }

  @Test
  void removeAllRemovesEveryValueOfTheKeyOnly() {
    Metadata md = new Metadata();
    md.put(USER, "a");
    md.put(TRACE, "t");
    md.put(USER, "b");

    assertThat(md.removeAll(USER)).isTrue();
    assertThat(md.removeAll(USER)).isFalse();

    assertThat(md.getAll(USER)).isEmpty();
    assertThat(md.getAll(TRACE)).containsExactly("t");
    assertThat(md.containsKey(USER)).isFalse();
  }

  @Test
  void mergeAppendsAfterExistingEntriesInOrder() {
    Metadata md = new Metadata();
    md.put(USER, "a");
    Metadata other = new Metadata();
    other.put(USER, "b");
    other.put(TRACE, "t");

    md.merge(other);
    md.merge(md);

    assertThat(md.getAll(USER)).containsExactly("a", "b", "a", "b");
    assertThat(md.getAll(TRACE)).containsExactly("t", "t");
    assertThat(other.size()).isEqualTo(2);
  }

  @Test
  void forEachVisitsRawEntriesInOrderByKind() {
    Metadata md = new Metadata();
    md.put(USER, "a");
    md.put(BLOB, new byte[] {7});
    md.putAscii("x-raw", "r");
    md.putBinary("x-raw-bin", "z".getBytes(StandardCharsets.US_ASCII));
    List<String> seen = new ArrayList<>();

    md.forEach(new Metadata.EntryVisitor() {
      @Override
      public void ascii(String name, String value) {
        seen.add(name + "=" + value);
      }

      @Override
      public void binary(String name, byte[] value) {
        seen.add(name + "=bytes" + value.length);
      }
    });

    assertThat(seen).containsExactly("x-user=a", "x-blob-bin=bytes1", "x-raw=r", "x-raw-bin=bytes1");
  }

  @Test
  void toStringShowsBinaryValuesInBase64() {
    Metadata md = new Metadata();
    md.put(USER, "a");
    md.put(BLOB, new byte[] {(byte) 0xfb});

    assertThat(md).hasToString("Metadata(x-user=a,x-blob-bin=+w==)");
  }

  @Test
  void customMarshallersRoundTrip() {
    Metadata.Key<Integer> count = Metadata.Key.of("x-count", new Metadata.AsciiMarshaller<>() {
      @Override
      public String toAsciiString(Integer value) {
        return Integer.toString(value);
      }

      @Override
      public Integer parseAsciiString(String serialized) {
        return Integer.valueOf(serialized);
      }
    });
    Metadata md = new Metadata();

    md.put(count, 42);
    md.putAscii("x-count", "43");

    assertThat(md.getAll(count)).containsExactly(42, 43);
  }
}
