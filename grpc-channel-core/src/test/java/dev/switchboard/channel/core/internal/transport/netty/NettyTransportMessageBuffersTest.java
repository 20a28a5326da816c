package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.STREAMING_OUTPUT;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.UNARY_CALL;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Drainable;
import dev.switchboard.channel.api.HasByteBuffers;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.Closed;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import io.grpc.testing.integration.Messages;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two ways a marshaller can skip a copy, against grpc-java's server: outbound streams that are
 * {@link Drainable} are serialized straight into the frame (sizes around the 16 KiB HTTP/2 frame,
 * the 1 MiB window and the outbound limit ± 1; other streams, byte arrays or of unknown length, at
 * the same sizes), and received messages expose their bytes in place
 * ({@link HasByteBuffers}), equal to what the stream reads, for messages spanning many frames.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NettyTransportMessageBuffersTest {
  private static final int MIB = 1024 * 1024;

  private GrpcJavaInteropServer server;
  private NettyTransportFactory factory;
  private ManagedClientTransport transport;
  private final TransportRecorder events = new TransportRecorder();

  @BeforeAll
  void connect() throws Exception {
    server = GrpcJavaInteropServer.plaintext();
    factory = new NettyTransportFactory(NettyTransportSettings.newBuilder().usePlaintext().build());
    transport = factory.newClientTransport(server.address(),
        new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
    transport.start(events);
    events.awaitReady();
  }

  @AfterAll
  void close() throws Exception {
    transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
    events.awaitTerminated();
    factory.close();
    server.close();
  }

  /** A stream over a request that counts how it was consumed. */
  private static final class DrainableRequest extends ByteArrayInputStream implements Drainable {
    final AtomicInteger drains = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    private final int shortBy;

    DrainableRequest(byte[] message, int shortBy) {
      super(message);
      this.shortBy = shortBy;
    }

    @Override
    public int drainTo(ByteBuffer target) {
      drains.incrementAndGet();
      int n = available() - shortBy;
      target.put(buf, pos, n);
      pos = count;
      return n;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      reads.incrementAndGet();
      return super.read(b, off, len);
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 2, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, MIB - 5, MIB + 1, 5 * MIB})
  void drainableRequestIsWrittenByDrainingAndArrivesWhole(int size) throws Exception {
    byte[] request = requestOf(size);
    DrainableRequest stream = new DrainableRequest(request, 0);
    StreamRecorder rec = send(stream, CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
    assertThat(Messages.SimpleResponse.parseFrom(rec.awaitMessage()).getPayload().getBody().size())
        .as("the server parsed the whole request").isEqualTo(size == 0 ? 0 : 7);
    assertThat(stream.drains).hasValue(1);
    assertThat(stream.reads).hasValue(0);
  }

  @Test
  void drainableAtTheOutboundLimitIsSentAndOneByteOverIsRefusedBeforeSerializing() throws Exception {
    int limit = 2 * MIB + 1;
    CallOptions options = CallOptions.DEFAULT.withMaxOutboundMessageSize(limit);
    DrainableRequest at = new DrainableRequest(requestOf(limit), 0);
    assertThat(send(at, options).awaitClosed().status().code()).isEqualTo(Status.Code.OK);

    DrainableRequest over = new DrainableRequest(requestOf(limit + 1), 0);
    Closed closed = send(over, options).awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(closed.status().description().orElse(""))
        .contains(Integer.toString(limit + 1)).contains(Integer.toString(limit));
    assertThat(over.drains).as("not serialized").hasValue(0);
  }

  /** Streams that are not {@link Drainable}: copied into the frame, each in its own way. */
  enum PlainStream {
    /** The usual byte[] marshaller's stream: its array goes into the frame in one write. */
    BYTE_ARRAY,
    /** A stream that does not know its length ({@code available()} is 0). */
    UNKNOWN_LENGTH,
    /** A stream that announces one byte at a time, however much it holds. */
    ONE_BYTE_AVAILABLE;

    InputStream of(byte[] message) {
      return switch (this) {
        case BYTE_ARRAY -> new ByteArrayInputStream(message);
        case UNKNOWN_LENGTH -> new FilterInputStream(new ByteArrayInputStream(message)) {
          @Override
          public int available() {
            return 0;
          }
        };
        case ONE_BYTE_AVAILABLE -> new FilterInputStream(new ByteArrayInputStream(message)) {
          @Override
          public int available() throws IOException {
            return Math.min(1, super.available());
          }
        };
      };
    }
  }

  static Stream<Arguments> plainRequests() {
    int[] sizes = {0, 2, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, MIB - 5, MIB + 1, 5 * MIB};
    return Stream.of(PlainStream.values())
        .flatMap(kind -> IntStream.of(sizes).mapToObj(size -> Arguments.of(kind, size)));
  }

  @ParameterizedTest(name = "{0}, {1} bytes")
  @MethodSource("plainRequests")
  void requestFromAStreamThatIsNotDrainableArrivesWhole(PlainStream kind, int size) throws Exception {
    StreamRecorder rec = send(kind.of(requestOf(size)), CallOptions.DEFAULT);
    Closed closed = rec.awaitClosed();
    assertThat(closed.status().code()).as(closed.status().toString()).isEqualTo(Status.Code.OK);
    assertThat(Messages.SimpleResponse.parseFrom(rec.awaitMessage()).getPayload().getBody().size())
        .as("the server parsed the whole request").isEqualTo(size == 0 ? 0 : 7);
  }

  @ParameterizedTest
  @EnumSource(PlainStream.class)
  void plainStreamAtTheOutboundLimitIsSentAndOneByteOverIsRefusedNamingBoth(PlainStream kind)
      throws Exception {
    int limit = 2 * MIB + 1;
    CallOptions options = CallOptions.DEFAULT.withMaxOutboundMessageSize(limit);
    StreamRecorder at = send(kind.of(requestOf(limit)), options);
    assertThat(at.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    assertThat(Messages.SimpleResponse.parseFrom(at.awaitMessage()).getPayload().getBody().size())
        .as("the server parsed the whole request").isEqualTo(7);

    Closed closed = send(kind.of(requestOf(limit + 1)), options).awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(closed.status().description().orElse(""))
        .contains(Integer.toString(limit + 1)).contains(Integer.toString(limit));
  }

  @Test
  void drainableThatWritesLessThanItAnnouncedFailsTheCallAndTheConnectionServesTheNext()
      throws Exception {
    Closed closed = send(new DrainableRequest(requestOf(1000), 3), CallOptions.DEFAULT).awaitClosed();
    assertThat(closed.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(closed.status().description().orElse(""))
        .contains("TestService/UnaryCall").contains("997").contains("1000");
    assertThat(send(new DrainableRequest(requestOf(1000), 0), CallOptions.DEFAULT).awaitClosed()
        .status().code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void receivedMessagesExposeTheirBytesInPlaceEqualToTheStream() throws Exception {
    int[] sizes = {3 * MIB + 17, 1, 16 * 1024 + 1, 0};
    Messages.StreamingOutputCallRequest.Builder req = Messages.StreamingOutputCallRequest.newBuilder();
    for (int size : sizes) {
      req.addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(size));
    }
    BufferRecorder rec = new BufferRecorder();
    ClientStream stream = transport.newStream(STREAMING_OUTPUT, new Metadata(), CallOptions.DEFAULT
        .withDeadlineAfter(java.time.Duration.ofSeconds(TestListeners.TIMEOUT_SECONDS - 1)));
    stream.start(rec);
    stream.request(100);
    stream.writeMessage(new ByteArrayInputStream(req.build().toByteArray()));
    stream.halfClose();
    assertThat(rec.awaitClosed().status().code()).isEqualTo(Status.Code.OK);
    for (int size : sizes) {
      byte[][] seen = rec.inPlace.poll(TestListeners.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(seen).isNotNull();
      byte[] fromStream = rec.awaitMessage();
      assertThat(seen[0]).as("in place").isEqualTo(fromStream);
      assertThat(Messages.StreamingOutputCallResponse.parseFrom(seen[0]).getPayload().getBody().size())
          .isEqualTo(size);
    }
  }

  /** Reads each message in place first, then through the stream. */
  private static final class BufferRecorder extends StreamRecorder {
    final BlockingQueue<byte[][]> inPlace = new LinkedBlockingQueue<>();

    @Override
    public void messageRead(InputStream message) {
      List<ByteBuffer> buffers = ((HasByteBuffers) message).byteBuffers();
      int total = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
      byte[] bytes = new byte[total];
      int at = 0;
      for (ByteBuffer b : buffers) {
        assertThat(b.isReadOnly()).isTrue();
        int n = b.remaining();
        b.get(bytes, at, n);
        at += n;
      }
      try {
        assertThat(message.available()).as("the views do not consume the stream").isEqualTo(total);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      inPlace.add(new byte[][] {bytes});
      super.messageRead(message);
    }
  }

  private StreamRecorder send(InputStream request, CallOptions options) {
    StreamRecorder rec = new StreamRecorder();
    ClientStream stream = transport.newStream(UNARY_CALL, new Metadata(),
        options.withDeadlineAfter(java.time.Duration.ofSeconds(TestListeners.TIMEOUT_SECONDS - 1)));
    stream.start(rec);
    stream.request(100);
    stream.writeMessage(request);
    stream.halfClose();
    return rec;
  }

  /** Returns a {@code SimpleRequest} of exactly {@code size} bytes asking for 7 bytes back (or none). */
  private static byte[] requestOf(int size) {
    if (size == 0) {
      return new byte[0];
    }
    Messages.SimpleRequest small = Messages.SimpleRequest.newBuilder().setResponseSize(7).build();
    int rest = size - small.getSerializedSize();
    if (rest == 0) {
      return small.toByteArray();
    }
    // Field 3 (payload) holding field 2 (body): find the body length that fills the rest exactly.
    for (int body = rest; body >= 0; body--) {
      Messages.SimpleRequest candidate = small.toBuilder()
          .setPayload(Messages.Payload.newBuilder().setBody(ByteString.copyFrom(new byte[body]))).build();
      if (candidate.getSerializedSize() == size) {
        return candidate.toByteArray();
      }
      if (candidate.getSerializedSize() < size - 8) {
        break;
      }
    }
    throw new IllegalArgumentException("no request of exactly " + size + " bytes");
  }
}
