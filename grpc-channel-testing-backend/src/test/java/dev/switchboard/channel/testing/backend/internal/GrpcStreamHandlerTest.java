package dev.switchboard.channel.testing.backend.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.testing.backend.TestMethods;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcStreamHandlerTest {

  private final BackendState state = new BackendState("b1");
  private final EmbeddedChannel channel = new EmbeddedChannel(new GrpcStreamHandler(state));

  private static Http2Headers requestHeaders(String path) {
    return new DefaultHttp2Headers().method("POST").scheme("http").path(path).authority("test")
        .set("content-type", "application/grpc").set("te", "trailers");
  }

  private static ByteBuf framed(InputStream message) throws IOException {
    byte[] bytes = message.readAllBytes();
    return Unpooled.buffer().writeByte(0).writeInt(bytes.length).writeBytes(bytes);
  }

  @Test
  void unknownMethodGetsTrailersOnlyUnimplemented() {
    channel.writeInbound(new DefaultHttp2HeadersFrame(requestHeaders("/x.Y/Z"), false));

    Http2HeadersFrame only = channel.readOutbound();
    assertThat(only.isEndStream()).isTrue();
    assertThat(only.headers().status()).hasToString("200");
    assertThat(only.headers().get("content-type")).hasToString("application/grpc");
    assertThat(only.headers().get("grpc-status")).hasToString("12");
    assertThat(only.headers().get("grpc-message")).hasToString("Method not found: x.Y/Z");
    Object more = channel.readOutbound();
    assertThat(more).isNull();
    assertThat(state.callsServed()).isZero();
  }

  @Test
  void messageSplitAcrossDataFramesIsReassembled() throws IOException {
    ByteBuf request = framed(TestMethods.ECHO.streamRequest(EchoRequest.of("split me")));
    channel.writeInbound(new DefaultHttp2HeadersFrame(
        requestHeaders("/" + TestMethods.ECHO.fullMethodName()), false));
    channel.writeInbound(new DefaultHttp2DataFrame(request.readRetainedSlice(3), false));
    channel.writeInbound(new DefaultHttp2DataFrame(request, true));

    Http2HeadersFrame headers = channel.readOutbound();
    assertThat(headers.isEndStream()).isFalse();
    assertThat(headers.headers().status()).hasToString("200");
    Http2DataFrame data = channel.readOutbound();
    ByteBuf content = data.content();
    assertThat(content.readByte()).isZero();
    byte[] body = new byte[content.readInt()];
    content.readBytes(body);
    data.release();
    assertThat(TestMethods.ECHO.parseResponse(new ByteArrayInputStream(body)))
        .isEqualTo(new EchoResponse("split me", "b1"));
    Http2HeadersFrame trailers = channel.readOutbound();
    assertThat(trailers.isEndStream()).isTrue();
    assertThat(trailers.headers().get("grpc-status")).hasToString("0");
    assertThat(trailers.headers().status()).isNull();
  }

  @Test
  void grpcTimeoutEndsASlowCallWithDeadlineExceeded() throws IOException {
    channel.freezeTime();
    channel.writeInbound(new DefaultHttp2HeadersFrame(
        requestHeaders("/" + TestMethods.ECHO.fullMethodName()).set("grpc-timeout", "100m"), false));
    channel.writeInbound(new DefaultHttp2DataFrame(
        framed(TestMethods.ECHO.streamRequest(EchoRequest.of("slow").withResponseDelayMs(60_000))), true));
    assertThat((Http2HeadersFrame) channel.readOutbound()).isNull();

    channel.advanceTimeBy(101, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    Http2HeadersFrame only = channel.readOutbound();
    assertThat(only.isEndStream()).isTrue();
    assertThat(only.headers().get("grpc-status")).hasToString("4");
  }

  @Test
  void secondRequestOnAUnaryMethodIsInternal() throws IOException {
    ByteBuf two = Unpooled.wrappedBuffer(
        framed(TestMethods.ECHO.streamRequest(EchoRequest.of("1"))),
        framed(TestMethods.ECHO.streamRequest(EchoRequest.of("2"))));
    channel.writeInbound(new DefaultHttp2HeadersFrame(
        requestHeaders("/" + TestMethods.ECHO.fullMethodName()), false));
    channel.writeInbound(new DefaultHttp2DataFrame(two, true));

    Http2HeadersFrame only = channel.readOutbound();
    assertThat(only.headers().get("grpc-status")).hasToString("13");
    assertThat(only.headers().get("grpc-message").toString()).contains("too many requests");
    assertThat(channel.isOpen()).as("no reset: the client had finished sending").isTrue();
  }

  @Test
  void failingBeforeTheClientFinishesResetsTheStream() {
    channel.writeInbound(new DefaultHttp2HeadersFrame(requestHeaders("/x.Y/Z"), false));

    Http2HeadersFrame only = channel.readOutbound();
    assertThat(only.isEndStream()).isTrue();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void nonGrpcContentTypeGets415() {
    channel.writeInbound(new DefaultHttp2HeadersFrame(
        requestHeaders("/" + TestMethods.ECHO.fullMethodName()).set("content-type", "text/html"), true));

    Http2HeadersFrame reply = channel.readOutbound();
    assertThat(reply.headers().status()).hasToString("415");
    assertThat(reply.isEndStream()).isTrue();
  }

  @Test
  void grpcMessageIsPercentEncoded() {
    assertThat(GrpcStreamHandler.percentEncode("50% done ✓\n")).isEqualTo("50%25 done %E2%9C%93%0A");
  }

  @Test
  void grpcTimeoutUnitsParse() {
    assertThat(GrpcStreamHandler.parseTimeoutNanos("100m")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(GrpcStreamHandler.parseTimeoutNanos("2H")).isEqualTo(TimeUnit.HOURS.toNanos(2));
    assertThat(GrpcStreamHandler.parseTimeoutNanos("7n")).isEqualTo(7);
    assertThat(GrpcStreamHandler.parseTimeoutNanos("123456789S")).isEqualTo(-1);
    assertThat(GrpcStreamHandler.parseTimeoutNanos("1x")).isEqualTo(-1);
    assertThat(GrpcStreamHandler.parseTimeoutNanos("m")).isEqualTo(-1);
  }
}
