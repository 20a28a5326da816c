package dev.switchboard.channel.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.switchboard.channel.api.Drainable;
import dev.switchboard.channel.api.HasByteBuffers;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoMarshallersTest {
  private static final MethodDescriptor.Marshaller<Struct> STRUCTS =
      ProtoMarshallers.marshaller(Struct.getDefaultInstance());

  private static Struct structOf(int bytes) {
    return Struct.newBuilder()
        .putFields("name", Value.newBuilder().setStringValue("x".repeat(bytes)).build())
        .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
            .addValues(Value.newBuilder().setNumberValue(1.5))
            .addValues(Value.newBuilder().setBoolValue(true))).build())
        .build();
  }

  @Test
  void streamKnowsItsExactLengthBeforeSerializingAndReadsAsTheMessageBytes() throws IOException {
    Struct message = structOf(5000);
    InputStream stream = STRUCTS.stream(message);
    assertThat(stream.available()).isEqualTo(message.getSerializedSize());
    assertThat(stream.read()).isEqualTo(message.toByteArray()[0] & 0xFF);
    assertThat(stream.available()).isEqualTo(message.getSerializedSize() - 1);
    byte[] rest = stream.readAllBytes();
    assertThat(rest).hasSize(message.getSerializedSize() - 1);
    assertThat(stream.read()).isEqualTo(-1);
    assertThat(stream.available()).isZero();
  }

  @Test
  void drainingWritesTheMessageIntoADirectBufferOfExactlyItsSize() throws IOException {
    Struct message = structOf(70_000);
    InputStream stream = STRUCTS.stream(message);
    ByteBuffer target = ByteBuffer.allocateDirect(stream.available());
    assertThat(((Drainable) stream).drainTo(target)).isEqualTo(message.getSerializedSize());
    assertThat(target.remaining()).isZero();
    assertThat(stream.available()).isZero();
    byte[] written = new byte[target.capacity()];
    target.flip().get(written);
    assertThat(written).isEqualTo(message.toByteArray());
  }

  @Test
  void drainingAfterAPartialReadWritesTheRest() throws IOException {
    Struct message = structOf(100);
    InputStream stream = STRUCTS.stream(message);
    byte[] head = stream.readNBytes(10);
    ByteBuffer target = ByteBuffer.allocate(stream.available());
    assertThat(((Drainable) stream).drainTo(target)).isEqualTo(message.getSerializedSize() - 10);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(head);
    all.write(target.array());
    assertThat(all.toByteArray()).isEqualTo(message.toByteArray());
  }

  @Test
  void drainingIntoABufferTooSmallFailsWithAnIoException() {
    InputStream stream = STRUCTS.stream(structOf(100));
    assertThatThrownBy(() -> ((Drainable) stream).drainTo(ByteBuffer.allocateDirect(50)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void transferToWritesTheMessage() throws IOException {
    Struct message = structOf(10_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(STRUCTS.stream(message).transferTo(out)).isEqualTo(message.getSerializedSize());
    assertThat(out.toByteArray()).isEqualTo(message.toByteArray());
  }

  @Test
  void emptyMessageIsAnEmptyStreamAndParsesBack() throws IOException {
    InputStream stream = STRUCTS.stream(Struct.getDefaultInstance());
    assertThat(stream.available()).isZero();
    assertThat(stream.read()).isEqualTo(-1);
    assertThat(STRUCTS.parse(new ByteArrayInputStream(new byte[0]))).isEqualTo(Struct.getDefaultInstance());
    assertThat(STRUCTS.parse(inPlace(new byte[0], 1))).isEqualTo(Struct.getDefaultInstance());
  }

  @Test
  void parsesFromAPlainStream() {
    Struct message = structOf(9000);
    assertThat(STRUCTS.parse(new ByteArrayInputStream(message.toByteArray()))).isEqualTo(message);
  }

  @Test
  void aStreamThatFailsToReadFailsTheParseWithItsError() {
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("connection reset while reading");
      }
    };
    assertThatThrownBy(() -> STRUCTS.parse(failing))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("connection reset while reading");
  }

  @Test
  void parsesInPlaceFromBuffersSplitAtEveryPositionWithoutReadingTheStream() {
    Struct message = structOf(40);
    byte[] bytes = message.toByteArray();
    for (int cut = 0; cut <= bytes.length; cut++) {
      ByteBuffer first = ByteBuffer.allocateDirect(cut).put(bytes, 0, cut).flip();
      ByteBuffer second = ByteBuffer.allocateDirect(bytes.length - cut)
          .put(bytes, cut, bytes.length - cut).flip();
      assertThat(STRUCTS.parse(new InPlaceOnly(List.of(first.asReadOnlyBuffer(), second.asReadOnlyBuffer()))))
          .as("cut at %d", cut).isEqualTo(message);
    }
  }

  @Test
  void parsesALargeMessageInPlaceFromManyBuffers() {
    Struct message = structOf(3 * 1024 * 1024 + 17);
    assertThat(STRUCTS.parse(inPlace(message.toByteArray(), 16 * 1024))).isEqualTo(message);
    assertThat(STRUCTS.parse(inPlace(message.toByteArray(), Integer.MAX_VALUE))).isEqualTo(message);
  }

  @Test
  void parsedMessageOwnsItsBytesAfterTheBuffersChange() {
    Struct message = structOf(64);
    byte[] bytes = message.toByteArray();
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    Struct parsed = STRUCTS.parse(new InPlaceOnly(List.of(buffer.asReadOnlyBuffer())));
    for (int i = 0; i < bytes.length; i++) {
      buffer.put(i, (byte) 0);
    }
    assertThat(parsed).isEqualTo(message);
  }

  @Test
  void bytesThatAreNotAMessageFailNamingTheType() {
    byte[] truncated = structOf(100).toByteArray();
    byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 1);
    assertThatThrownBy(() -> STRUCTS.parse(new ByteArrayInputStream(cut)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("google.protobuf.Struct");
    assertThatThrownBy(() -> STRUCTS.parse(inPlace(cut, 7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("google.protobuf.Struct");
  }

  @Test
  void aStrayEndGroupTagIsNotAValidMessage() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    structOf(3).writeTo(coded);
    coded.writeTag(1, 4); // END_GROUP of field 1, where no group started
    structOf(5).writeTo(coded);
    coded.flush();
    byte[] bytes = out.toByteArray();
    assertThatThrownBy(() -> STRUCTS.parse(new ByteArrayInputStream(bytes)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("google.protobuf.Struct");
    assertThatThrownBy(() -> STRUCTS.parse(inPlace(bytes, 5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("google.protobuf.Struct");
  }

  @Test
  void metadataMarshallerRoundTripsAndRejectsBadBytesNamingTheType() {
    Metadata.BinaryMarshaller<Struct> marshaller = ProtoMarshallers.metadataMarshaller(Struct.getDefaultInstance());
    Struct message = structOf(10);
    assertThat(marshaller.parseBytes(marshaller.toBytes(message))).isEqualTo(message);
    assertThatThrownBy(() -> marshaller.parseBytes(new byte[] {(byte) 0x0a, 0x05, 0x01}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("google.protobuf.Struct");
  }

  /** A received message offered in place, in direct buffers of at most {@code chunk} bytes. */
  private static InputStream inPlace(byte[] bytes, int chunk) {
    List<ByteBuffer> buffers = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += chunk) {
      int n = Math.min(chunk, bytes.length - at);
      buffers.add(ByteBuffer.allocateDirect(n).put(bytes, at, n).flip().asReadOnlyBuffer());
    }
    return new InPlaceOnly(buffers);
  }

  /** A stream that can only be read in place: reading it fails the test. */
  private static final class InPlaceOnly extends InputStream implements HasByteBuffers {
    private final List<ByteBuffer> buffers;

    InPlaceOnly(List<ByteBuffer> buffers) {
      this.buffers = buffers;
    }

    @Override
    public List<ByteBuffer> byteBuffers() {
      return buffers;
    }

    @Override
    public int read() {
      throw new AssertionError("read the stream instead of the buffers");
    }
  }
}
