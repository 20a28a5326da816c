package dev.switchboard.channel.core.internal.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw HTTP/2 server that answers a call to {@code fuzz.Service/<seed>} with frames generated from
 * that seed (any type, flags, stream id and length; payloads near and past what each type allows,
 * header blocks with good and bad gRPC headers, gRPC messages with odd prefixes), written straight
 * to the socket, past its own HTTP/2 state; and a call to {@code fuzz.Service/ok} with a good
 * response. Each generated answer ends with good trailers, a RST_STREAM or a closed connection, so
 * that most calls end at once whatever came before; then, on a connection still open, a PING whose
 * acknowledgement tells that the client has read all of it ({@link #awaitSettled}).
 *
 * <p>Its own header blocks never index anything (every header is a literal "never indexed"): what
 * a generated block does to the client's HPACK table cannot turn a later good response into
 * garbage, only end the connection.
 *
 * <p>Thread-safe: tests read {@link #description} and {@link #connections} from any thread.
 */
final class GeneratedFramesServer implements AutoCloseable {

  private static final int FRAME_DATA = 0;
  private static final int FRAME_HEADERS = 1;
  private static final int FRAME_RST_STREAM = 3;
  private static final int FRAME_SETTINGS = 4;
  private static final int FRAME_PING = 6;
  private static final int FRAME_GOAWAY = 7;
  private static final int FRAME_WINDOW_UPDATE = 8;
  private static final int FRAME_CONTINUATION = 9;
  private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 3;
  private static final int SETTINGS_MAX_HEADER_LIST_SIZE = 6;
  private static final int FLAG_END_STREAM = 0x1;
  private static final int FLAG_END_HEADERS = 0x4;

  private static final List<String> STATUSES = List.of("200", "200", "200", "404", "503", "abc", "", "2000");
  private static final List<String> CONTENT_TYPES = List.of("application/grpc", "application/grpc",
      "application/grpc+proto", "application/grpc-web", "text/html", "", "application/grpcx");
  private static final List<String> GRPC_STATUSES = List.of("0", "0", "1", "2", "4", "8", "13", "14",
      "16", "17", "99", "-1", "abc", "", "2147483648", " 0");
  /**
   * The server's own messages, bad escapes included; all printable once decoded, since a status
   * carries a server's message as sent (newlines and all), and the test checks that what the
   * channel itself writes into a description is printable.
   */
  private static final List<String> GRPC_MESSAGES = List.of("ok", "bad%20thing", "%", "%zz", "%e2%82",
      "caf%C3%A9", "x".repeat(300), "%7");
  private static final List<String> ENCODINGS = List.of("identity", "gzip", "br", "", "GZIP");
  private static final List<String> OTHER_NAMES = List.of("x-a", "x-a-bin", "grpc-status-details-bin",
      "X-Upper", "x a", ":path", ":unknown", "te", "connection", "");
  private static final List<String> OTHER_VALUES = List.of("1", "AAEC", "!!not base64!!", "AAE=",
      "", "\u0000", "a".repeat(100));

  private final RawHttp2Server server;
  final AtomicInteger connections;
  /** What was sent for each seed, for a failure's message. */
  private final Map<Long, String> descriptions = new ConcurrentHashMap<>();
  /**
   * Per seed, one latch per request for it (a refused stream is retried: the same answer again),
   * counted down once the client acknowledged that answer's closing PING or its connection closed.
   */
  private final Map<Long, List<CountDownLatch>> settled = new ConcurrentHashMap<>();
  /** Numbers the requests: the payload of each answer's closing PING. */
  private final AtomicLong requests = new AtomicLong();
  /** The seeds whose connection closed before the client acknowledged the closing PING. */
  private final Set<Long> closed = ConcurrentHashMap.newKeySet();

  GeneratedFramesServer() throws InterruptedException {
    server = new RawHttp2Server(() -> Handler.create(this));
    connections = server.connections;
  }

  InetSocketAddress address() {
    return server.address();
  }

  /** The frames sent for {@code seed}, or a placeholder if no call for it arrived. */
  String description(long seed) {
    return descriptions.getOrDefault(seed, "(no call arrived)");
  }

  /**
   * Waits until the client has read all of the answer for {@code seed} (it acknowledged the PING
   * after it) or its connection closed; returns true if the connection closed, by either side.
   *
   * @throws AssertionError if neither happens within 10 seconds
   */
  boolean awaitSettled(long seed) throws InterruptedException {
    List<CountDownLatch> latches = settled.getOrDefault(seed, List.of());
    for (CountDownLatch latch : latches) {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the client neither read the answer to the end nor closed its connection;"
            + " frames:" + description(seed));
      }
    }
    if (latches.isEmpty()) {
      throw new AssertionError("no request arrived for seed " + seed);
    }
    return closed.contains(seed);
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }

  private static final class Handler extends Http2ConnectionHandler {

    static Handler create(GeneratedFramesServer owner) {
      Http2Connection connection = new DefaultHttp2Connection(true);
      Http2ConnectionEncoder encoder = new DefaultHttp2ConnectionEncoder(connection,
          new DefaultHttp2FrameWriter(Http2HeadersEncoder.ALWAYS_SENSITIVE));
      Http2ConnectionDecoder decoder =
          new DefaultHttp2ConnectionDecoder(connection, encoder, new DefaultHttp2FrameReader());
      return new Handler(decoder, encoder, owner);
    }

    private final GeneratedFramesServer owner;
    /** The answers on this connection not yet settled, by request number: seed and latch. */
    private final Map<Long, Map.Entry<Long, CountDownLatch>> unsettled = new ConcurrentHashMap<>();

    private Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        GeneratedFramesServer owner) {
      super(decoder, encoder, new Http2Settings());
      this.owner = owner;
      decoder.frameListener(new Http2FrameAdapter() {
        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
            int padding, boolean endOfStream) {
          String path = String.valueOf(headers.path());
          String last = path.substring(path.lastIndexOf('/') + 1);
          if (last.equals("ok")) {
            ok(ctx, streamId);
          } else {
            long seed = Long.parseLong(last);
            long request = owner.requests.incrementAndGet();
            CountDownLatch latch = new CountDownLatch(1);
            owner.settled.computeIfAbsent(seed, s -> new CopyOnWriteArrayList<>()).add(latch);
            unsettled.put(request, Map.entry(seed, latch));
            StringBuilder description = new StringBuilder();
            if (!generated(ctx, streamId, new Random(seed), description)) {
              ctx.write(frame(FRAME_PING, 0, 0, Unpooled.buffer().writeLong(request)));
            }
            owner.descriptions.put(seed, description.toString());
          }
          flush(ctx);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
            int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
          onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
            boolean endOfStream) {
          return data.readableBytes() + padding;
        }

        @Override
        public void onPingAckRead(ChannelHandlerContext ctx, long data) {
          Map.Entry<Long, CountDownLatch> answer = unsettled.remove(data);
          if (answer != null) {
            answer.getValue().countDown();
          }
        }
      });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      for (Map.Entry<Long, CountDownLatch> answer : unsettled.values()) {
        owner.closed.add(answer.getKey());
        answer.getValue().countDown();
      }
      unsettled.clear();
      super.channelInactive(ctx);
    }

    private void ok(ChannelHandlerContext ctx, int id) {
      encoder().writeHeaders(ctx, id, new DefaultHttp2Headers().status("200")
          .add("content-type", "application/grpc"), 0, false, ctx.newPromise());
      encoder().writeData(ctx, id, Unpooled.buffer().writeByte(0).writeInt(4)
          .writeBytes("pong".getBytes(StandardCharsets.US_ASCII)), 0, false, ctx.newPromise());
      encoder().writeHeaders(ctx, id, new DefaultHttp2Headers().add("grpc-status", "0"), 0, true,
          ctx.newPromise());
    }

    /**
     * Up to 6 generated frames, then an ending; raw bytes under the HTTP/2 codec. Returns true if
     * the ending closed the connection.
     */
    private boolean generated(ChannelHandlerContext ctx, int id, Random random, StringBuilder description) {
      int frames = 1 + random.nextInt(6);
      boolean connectionWindowRaised = false;
      for (int i = 0; i < frames; i++) {
        ByteBuf frame = randomFrame(random, id);
        connectionWindowRaised |= raisesConnectionWindow(frame);
        raw(ctx, frame, description);
      }
      int ending = random.nextInt(10);
      if (connectionWindowRaised) {
        // This server's own window updates for what the client sends next would take the client's
        // window past 2^31 - 1 at a moment of their own, breaking the connection under a later
        // call (rightly): the connection ends with this answer instead.
        ending = 0;
      }
      switch (ending) {
        case 0, 1, 2 -> {
          description.append(" then close");
          ctx.flush();
          ctx.close();
          return true;
        }
        case 3, 4 -> raw(ctx, frame(FRAME_RST_STREAM, 0, id, Unpooled.buffer().writeInt(random.nextInt(14))),
            description);
        default -> raw(ctx, frame(FRAME_HEADERS, FLAG_END_STREAM | FLAG_END_HEADERS, id,
            block("grpc-status", "0")), description);
      }
      return false;
    }

    /** A WINDOW_UPDATE for the connection of more than a default window (64 KiB). */
    private static boolean raisesConnectionWindow(ByteBuf frame) {
      int start = frame.readerIndex();
      return frame.readableBytes() >= 13 && frame.getUnsignedByte(start + 3) == FRAME_WINDOW_UPDATE
          && frame.getInt(start + 5) == 0 && (frame.getInt(start + 9) & 0x7fffffff) > 65_535;
    }

    private void raw(ChannelHandlerContext ctx, ByteBuf frame, StringBuilder description) {
      if (description.length() < 2000) {
        description.append(' ').append(io.netty.buffer.ByteBufUtil.hexDump(frame, frame.readerIndex(),
            Math.min(frame.readableBytes(), 48)));
      }
      ctx.write(frame); // this handler's context: past its encoder, straight to the socket
    }

    private static ByteBuf randomFrame(Random random, int id) {
      int streamId = switch (random.nextInt(10)) {
        case 0 -> 0;
        case 1 -> id + 2;
        case 2 -> random.nextInt() & 0x7fffffff;
        default -> id;
      };
      int pick = random.nextInt(100);
      int type;
      int flags;
      ByteBuf payload;
      if (pick < 25) {
        type = FRAME_DATA;
        flags = random.nextInt(4) == 0 ? FLAG_END_STREAM : 0;
        payload = grpcMessage(random);
      } else if (pick < 50) {
        type = FRAME_HEADERS;
        flags = FLAG_END_HEADERS | (random.nextInt(3) == 0 ? FLAG_END_STREAM : 0);
        payload = random.nextInt(8) == 0 ? randomBytes(random, 40) : headerBlock(random);
      } else if (pick < 57) {
        type = FRAME_RST_STREAM;
        flags = 0;
        payload = sized(random, Unpooled.buffer().writeInt(random.nextInt(16)));
      } else if (pick < 64) {
        type = FRAME_SETTINGS;
        flags = random.nextInt(4) == 0 ? 0x1 : 0;
        ByteBuf settings = Unpooled.buffer();
        for (int n = random.nextInt(3); n > 0; n--) {
          int setting = 1 + random.nextInt(8);
          int value = settingValue(random);
          if (setting == SETTINGS_MAX_CONCURRENT_STREAMS || setting == SETTINGS_MAX_HEADER_LIST_SIZE) {
            // Low, these two refuse every later call on the connection by the server's own word
            // (calls wait, or fail naming the setting: ChannelMisbehavingPeerTest); here they stay
            // high enough for a request, so that the next call shows what the frames did.
            value = Math.max(value, 1 << 14);
          }
          settings.writeShort(setting).writeInt(value);
        }
        payload = sized(random, settings);
      } else if (pick < 71) {
        type = FRAME_PING;
        flags = random.nextBoolean() ? 0x1 : 0;
        payload = sized(random, Unpooled.buffer().writeLong(
            random.nextBoolean() ? BdpEstimator.PING_PAYLOAD : random.nextLong()));
      } else if (pick < 78) {
        type = FRAME_GOAWAY;
        flags = 0;
        int last = random.nextBoolean() ? id - 2 : random.nextBoolean() ? id : random.nextInt() & 0x7fffffff;
        payload = Unpooled.buffer().writeInt(Math.max(0, last)).writeInt(random.nextInt(16))
            .writeBytes(randomBytes(random, 8));
      } else if (pick < 88) {
        type = FRAME_WINDOW_UPDATE;
        flags = 0;
        int increment = switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> Integer.MAX_VALUE;
          case 2 -> 1;
          default -> random.nextInt() & 0x7fffffff;
        };
        payload = sized(random, Unpooled.buffer().writeInt(increment));
      } else if (pick < 93) {
        type = FRAME_CONTINUATION;
        flags = random.nextBoolean() ? FLAG_END_HEADERS : 0;
        payload = headerBlock(random);
      } else {
        type = random.nextInt(256);
        flags = random.nextInt(256);
        payload = randomBytes(random, 24);
      }
      if (random.nextInt(20) == 0) {
        flags = random.nextInt(256);
      }
      return frame(type, flags, streamId, payload);
    }

    private static int settingValue(Random random) {
      return switch (random.nextInt(6)) {
        case 0 -> 0;
        case 1 -> 1;
        case 2 -> 16_383;
        case 3 -> 16_777_216;
        case 4 -> Integer.MAX_VALUE;
        default -> random.nextInt();
      };
    }

    /** A gRPC message: its flag and declared length often wrong, its body short. */
    private static ByteBuf grpcMessage(Random random) {
      if (random.nextInt(8) == 0) {
        return randomBytes(random, 12);
      }
      byte[] body = new byte[random.nextInt(40)];
      random.nextBytes(body);
      int flag = switch (random.nextInt(6)) {
        case 0 -> 1;
        case 1 -> random.nextInt(256);
        default -> 0;
      };
      int declared = switch (random.nextInt(6)) {
        case 0 -> body.length + 1;
        case 1 -> Math.max(0, body.length - 1);
        case 2 -> random.nextInt();
        case 3 -> 4 * 1024 * 1024 + 1;
        default -> body.length;
      };
      return Unpooled.buffer().writeByte(flag).writeInt(declared).writeBytes(body);
    }

    /** Good and bad gRPC response headers or trailers, as literals that index nothing. */
    private static ByteBuf headerBlock(Random random) {
      ByteBuf block = Unpooled.buffer();
      if (random.nextBoolean()) {
        literal(block, ":status", pick(random, STATUSES));
        literal(block, "content-type", pick(random, CONTENT_TYPES));
      }
      if (random.nextInt(3) == 0) {
        literal(block, "grpc-encoding", pick(random, ENCODINGS));
      }
      if (random.nextBoolean()) {
        literal(block, "grpc-status", pick(random, GRPC_STATUSES));
        if (random.nextBoolean()) {
          literal(block, "grpc-message", pick(random, GRPC_MESSAGES));
        }
      }
      for (int n = random.nextInt(3); n > 0; n--) {
        literal(block, pick(random, OTHER_NAMES), pick(random, OTHER_VALUES));
      }
      return block;
    }

    private static ByteBuf block(String name, String value) {
      ByteBuf block = Unpooled.buffer();
      literal(block, name, value);
      return block;
    }

    /** HPACK "literal header field never indexed, new name", no Huffman (RFC 7541 6.2.3). */
    private static void literal(ByteBuf block, String name, String value) {
      block.writeByte(0x10);
      string(block, name.getBytes(StandardCharsets.ISO_8859_1));
      string(block, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void string(ByteBuf block, byte[] bytes) {
      // 7-bit prefix integer (RFC 7541 5.1); the generated strings stay far below 2^21.
      int length = bytes.length;
      if (length < 127) {
        block.writeByte(length);
      } else {
        block.writeByte(127);
        int rest = length - 127;
        while (rest >= 128) {
          block.writeByte((rest & 0x7f) | 0x80);
          rest >>>= 7;
        }
        block.writeByte(rest);
      }
      block.writeBytes(bytes);
    }

    /** The payload, or one byte more or less than its type allows, now and then. */
    private static ByteBuf sized(Random random, ByteBuf payload) {
      switch (random.nextInt(10)) {
        case 0 -> payload.writeByte(random.nextInt(256));
        case 1 -> payload.writerIndex(Math.max(0, payload.writerIndex() - 1));
        default -> { }
      }
      return payload;
    }

    private static ByteBuf randomBytes(Random random, int max) {
      byte[] bytes = new byte[random.nextInt(max + 1)];
      random.nextBytes(bytes);
      return Unpooled.wrappedBuffer(bytes);
    }

    private static String pick(Random random, List<String> values) {
      return values.get(random.nextInt(values.size()));
    }

    /** A frame with its 9-byte header; the length is the payload's (up to 2^24 - 1). */
    private static ByteBuf frame(int type, int flags, int streamId, ByteBuf payload) {
      int length = payload.readableBytes();
      ByteBuf frame = Unpooled.buffer(9 + length);
      frame.writeMedium(length).writeByte(type).writeByte(flags).writeInt(streamId);
      frame.writeBytes(payload);
      payload.release();
      return frame;
    }
  }
}
