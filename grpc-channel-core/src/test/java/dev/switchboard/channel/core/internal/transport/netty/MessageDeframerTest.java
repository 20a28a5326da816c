package dev.switchboard.channel.core.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageDeframerTest {

  private final List<String> messages = new ArrayList<>();
  private int consumed;
  private Status failure;
  private Status drained;
  private final MessageDeframer deframer = new MessageDeframer(new MessageDeframer.Sink() {
    @Override
    public void deliver(InputStream message) {
      try (message) {
        messages.add(new String(message.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void bytesConsumed(int bytes) {
      consumed += bytes;
    }

    @Override
    public void fail(Status status) {
      failure = status;
    }

    @Override
    public void drained(Status status, Metadata trailers) {
      drained = status;
    }
  }, 100);

  @AfterEach
  void release() {
    deframer.release();
  }

  private static ByteBuf frame(int flag, byte[] body) {
    return Unpooled.buffer().writeByte(flag).writeInt(body.length).writeBytes(body);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aMessageSpanningSeveralFramesSharesTheirMemoryUntilItIsClosed() throws IOException {
    List<InputStream> kept = new ArrayList<>();
    MessageDeframer keeping = new MessageDeframer(new MessageDeframer.Sink() {
      @Override
      public void deliver(InputStream message) {
        kept.add(message);
      }

      @Override
      public void bytesConsumed(int bytes) {}

      @Override
      public void fail(Status status) {
        throw new AssertionError(status);
      }

      @Override
      public void drained(Status status, Metadata trailers) {}
    }, 100);
    byte[] whole = frame(0, utf8("hello, world")).array();
    ByteBuf first = Unpooled.directBuffer().writeBytes(whole, 0, 7);
    ByteBuf second = Unpooled.directBuffer().writeBytes(whole, 7, 4);
    ByteBuf third = Unpooled.directBuffer().writeBytes(whole, 11, 6);
    keeping.request(1);
    keeping.add(first);
    keeping.add(second);
    keeping.add(third);
    keeping.release();

    assertThat(kept).hasSize(1);
    // Not copied: the received buffers live on in the message after the deframer let go.
    assertThat(first.refCnt()).isEqualTo(1);
    assertThat(second.refCnt()).isEqualTo(1);
    assertThat(third.refCnt()).isEqualTo(1);
    try (InputStream message = kept.get(0)) {
      assertThat(message.available()).isEqualTo(12);
      assertThat(new String(message.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("hello, world");
    }
    assertThat(first.refCnt()).isZero();
    assertThat(second.refCnt()).isZero();
    assertThat(third.refCnt()).isZero();
  }

  @Test
  void receivedBuffersOfEmptyMessagesAreFreedAsTheyAreDeliveredNotWhenTheStreamEnds() {
    // A long stream of empty messages (heartbeats, a bidi ping-pong of empty messages) must not
    // keep every DATA frame it ever received.
    deframer.request(Integer.MAX_VALUE);
    List<ByteBuf> received = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ByteBuf data = Unpooled.directBuffer().writeBytes(frame(0, new byte[0]));
      received.add(data);
      deframer.add(data);
    }

    assertThat(messages).hasSize(1000);
    assertThat(received).allSatisfy(data -> assertThat(data.refCnt()).as("a delivered frame's buffer").isZero());
    assertThat(deframer.bufferedBytes()).isZero();

    ByteBuf emptyThenOne = Unpooled.directBuffer().writeBytes(frame(0, new byte[0])).writeBytes(frame(0, utf8("x")));
    deframer.add(emptyThenOne);
    assertThat(messages).hasSize(1002).endsWith("x");
    assertThat(emptyThenOne.refCnt()).isZero();
  }

  @Test
  void anySplitOfAnyMessagesIsDeliveredWholeInOrderAsRequestedWithEveryBufferFreedAndEveryByteCreditedOnce() {
    for (long seed = 0; seed < 300; seed++) {
      long finalSeed = seed;
      Random random = new Random(seed);
      List<byte[]> sent = new ArrayList<>();
      ByteBuf wire = Unpooled.buffer();
      int messageCount = random.nextInt(12);
      for (int i = 0; i < messageCount; i++) {
        int size = switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> 1 + random.nextInt(4);
          default -> random.nextInt(100);
        };
        byte[] body = new byte[size];
        random.nextBytes(body);
        sent.add(body);
        wire.writeByte(0).writeInt(size).writeBytes(body);
      }
      int wireBytes = wire.readableBytes();

      List<byte[]> delivered = new ArrayList<>();
      int[] credited = {0};
      Status[] closed = {null};
      MessageDeframer split = new MessageDeframer(new MessageDeframer.Sink() {
        @Override
        public void deliver(InputStream message) {
          try (message) {
            delivered.add(message.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void bytesConsumed(int bytes) {
          credited[0] += bytes;
        }

        @Override
        public void fail(Status status) {
          throw new AssertionError("seed " + finalSeed + ": " + status);
        }

        @Override
        public void drained(Status status, Metadata trailers) {
          closed[0] = status;
        }
      }, 100);
      List<ByteBuf> chunks = new ArrayList<>();
      long requested = 0;
      while (wire.isReadable()) {
        if (random.nextInt(3) == 0) {
          int more = 1 + random.nextInt(2);
          requested += more;
          split.request(more);
        }
        ByteBuf chunk = Unpooled.directBuffer().writeBytes(wire, Math.min(wire.readableBytes(), 1 + random.nextInt(30)));
        chunks.add(chunk);
        split.add(chunk);
        assertThat(delivered.size()).as("seed %s: delivered, at most what was requested", seed)
            .isLessThanOrEqualTo((int) Math.min(requested, sent.size()));
      }
      split.request(Integer.MAX_VALUE);
      split.endOfStream(Status.OK, new Metadata());

      assertThat(delivered).as("seed %s", seed).hasSize(sent.size());
      for (int i = 0; i < sent.size(); i++) {
        assertThat(delivered.get(i)).as("seed %s, message %s", seed, i).isEqualTo(sent.get(i));
      }
      assertThat(credited[0]).as("seed %s: every byte back to the window once", seed).isEqualTo(wireBytes);
      assertThat(closed[0]).as("seed %s", seed).isEqualTo(Status.OK);
      assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.refCnt()).as("seed %s: a received chunk", finalSeed).isZero());
      split.release();
    }
  }

  @Test
  void aReceivedMessageReadsWholeOrInPartsAndReleasesItsBufferWhenClosed() throws IOException {
    ByteBuf buffer = Unpooled.directBuffer().writeBytes(utf8("0123456789"));
    ReceivedMessage message = new ReceivedMessage(buffer);
    assertThat(new String(message.readNBytes(3), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("012");
    assertThat(new String(message.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("3456789");
    assertThat(message.readAllBytes()).isEmpty();
    assertThat(message.readNBytes(5)).isEmpty();
    assertThat(buffer.refCnt()).isEqualTo(1);
    message.close();
    assertThat(buffer.refCnt()).isZero();
  }

  @Test
  void deliversOnlyWhatWasRequestedAndConsumesOnlyWhatWasDelivered() {
    deframer.add(Unpooled.wrappedBuffer(frame(0, utf8("one")), frame(0, utf8("two"))));
    assertThat(messages).isEmpty();
    assertThat(consumed).isZero();
    deframer.request(1);
    assertThat(messages).containsExactly("one");
    assertThat(consumed).isEqualTo(8);
    assertThat(deframer.bufferedBytes()).isEqualTo(8);
    deframer.request(5);
    assertThat(messages).containsExactly("one", "two");
    assertThat(consumed).isEqualTo(16);
  }

  @Test
  void bytesOfARequestedMessageGoBackToTheWindowAsTheyArrive() {
    deframer.request(1);
    ByteBuf whole = frame(0, new byte[60]);
    deframer.add(whole.readRetainedSlice(3));
    assertThat(consumed).as("part of a frame header").isZero();
    deframer.add(whole.readRetainedSlice(22));
    assertThat(consumed).as("header and 20 of 60 bytes, before the message is whole").isEqualTo(25);
    deframer.add(whole.readRetainedSlice(30));
    assertThat(consumed).isEqualTo(55);
    assertThat(messages).isEmpty();
    deframer.add(whole);
    assertThat(messages).hasSize(1);
    assertThat(consumed).as("each byte once").isEqualTo(65);
  }

  @Test
  void bytesOfAMessageNobodyAskedForStayInTheWindowUntilItIsRequested() {
    ByteBuf whole = frame(0, new byte[60]);
    deframer.add(whole.readRetainedSlice(25));
    assertThat(consumed).isZero();
    deframer.request(1);
    assertThat(consumed).as("what had arrived, once asked for").isEqualTo(25);
    deframer.add(whole);
    assertThat(consumed).isEqualTo(65);
    assertThat(messages).hasSize(1);
  }

  @Test
  void theNextMessagesBytesAreCreditedOnlyWhileItIsRequested() {
    deframer.request(1);
    deframer.add(Unpooled.wrappedBuffer(frame(0, utf8("one")), frame(0, new byte[40]).slice(0, 20)));
    assertThat(messages).containsExactly("one");
    assertThat(consumed).as("only the delivered message").isEqualTo(8);
    deframer.request(1);
    assertThat(consumed).isEqualTo(28);
  }

  @Test
  void reassemblesAMessageSplitAcrossChunks() {
    deframer.request(1);
    ByteBuf whole = frame(0, utf8("hello"));
    deframer.add(whole.readRetainedSlice(3));
    deframer.add(whole.readRetainedSlice(4));
    assertThat(messages).isEmpty();
    deframer.add(whole);
    assertThat(messages).containsExactly("hello");
  }

  @Test
  void closesOnlyAfterTheBufferedMessagesAreDelivered() {
    deframer.add(frame(0, utf8("last")));
    deframer.endOfStream(Status.OK, new Metadata());
    assertThat(drained).isNull();
    deframer.request(1);
    assertThat(messages).containsExactly("last");
    assertThat(drained).isEqualTo(Status.OK);
  }

  @Test
  void endOfStreamMidMessageFailsNamingTheCounts() {
    deframer.add(Unpooled.buffer().writeByte(0).writeInt(50).writeBytes(new byte[7]));
    deframer.endOfStream(Status.OK, new Metadata());
    assertThat(failure.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(failure.description().orElse("")).contains("stream ended mid-message: 7 of 50 bytes received");
    assertThat(drained).isNull();
  }

  @Test
  void serversErrorStatusWinsOverAMessageCutShort() {
    deframer.request(1);
    deframer.add(Unpooled.buffer().writeByte(0).writeInt(50).writeBytes(new byte[7]));
    Status serverStatus = Status.RESOURCE_EXHAUSTED.withDescription("server's limit");
    deframer.endOfStream(serverStatus, new Metadata());
    assertThat(failure).isNull();
    assertThat(drained).isEqualTo(serverStatus);
  }

  @Test
  void serversErrorStatusWinsOverAFrameHeaderCutShort() {
    deframer.add(Unpooled.buffer().writeByte(0).writeShort(0));
    deframer.endOfStream(Status.DEADLINE_EXCEEDED, new Metadata());
    assertThat(failure).isNull();
    assertThat(drained).isEqualTo(Status.DEADLINE_EXCEEDED);
  }

  @Test
  void wholeMessagesBeforeAnErrorStatusAreStillDelivered() {
    deframer.add(Unpooled.wrappedBuffer(frame(0, utf8("whole")), Unpooled.buffer().writeByte(0).writeInt(9)));
    deframer.endOfStream(Status.UNAVAILABLE, new Metadata());
    assertThat(drained).isNull();
    deframer.request(1);
    assertThat(messages).containsExactly("whole");
    assertThat(drained).isEqualTo(Status.UNAVAILABLE);
  }

  @Test
  void oversizedMessageFailsAsSoonAsItsHeaderArrives() {
    deframer.add(Unpooled.buffer().writeByte(0).writeInt(101));
    assertThat(failure.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(failure.description().orElse("")).contains("101").contains("100");
  }

  @Test
  void reservedFlagsAndUnexpectedCompressionFail() {
    deframer.add(frame(2, utf8("x")));
    assertThat(failure.description().orElse("")).contains("flags 0x2");
  }

  @Test
  void compressedWithoutEncodingFails() {
    deframer.add(frame(1, utf8("x")));
    assertThat(failure.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(failure.description().orElse("")).contains("grpc-encoding");
  }

  @Test
  void gzipMessagesAreInflatedAndTheirInflatedSizeIsLimited() throws IOException {
    deframer.encoding("gzip");
    deframer.request(2);
    deframer.add(frame(1, gzip(utf8("zipped"))));
    assertThat(messages).containsExactly("zipped");
    deframer.add(frame(1, gzip(new byte[1000])));
    assertThat(failure.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(failure.description().orElse("")).contains("decompressed");
  }

  @Test
  void corruptGzipFailsInternal() {
    deframer.encoding("gzip");
    deframer.request(1);
    deframer.add(frame(1, utf8("not gzip")));
    assertThat(failure.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(failure.description().orElse("")).contains("cannot decompress gzip");
  }

  private static byte[] gzip(byte[] in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(in);
    }
    return out.toByteArray();
  }
}
