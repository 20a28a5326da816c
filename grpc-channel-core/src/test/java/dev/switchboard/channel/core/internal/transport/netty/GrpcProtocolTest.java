package dev.switchboard.channel.core.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcProtocolTest {

  @Test
  void timeoutUsesTheFinestUnitWithAtMostEightDigits() {
    assertThat(GrpcProtocol.encodeTimeout(1)).isEqualTo("1n");
    assertThat(GrpcProtocol.encodeTimeout(99_999_999)).isEqualTo("99999999n");
    assertThat(GrpcProtocol.encodeTimeout(100_000_000)).isEqualTo("100000u");
    assertThat(GrpcProtocol.encodeTimeout(TimeUnit.SECONDS.toNanos(1))).isEqualTo("1000000u");
    assertThat(GrpcProtocol.encodeTimeout(TimeUnit.SECONDS.toNanos(100))).isEqualTo("100000m");
    assertThat(GrpcProtocol.encodeTimeout(TimeUnit.DAYS.toNanos(2))).isEqualTo("172800S");
    assertThat(GrpcProtocol.encodeTimeout(TimeUnit.DAYS.toNanos(10_000))).isEqualTo("14400000M");
    assertThat(GrpcProtocol.encodeTimeout(Long.MAX_VALUE)).endsWith("H").hasSizeLessThanOrEqualTo(9);
    assertThat(GrpcProtocol.encodeTimeout(0)).isEqualTo("0n");
    assertThat(GrpcProtocol.encodeTimeout(-5)).isEqualTo("0n");
  }

  @Test
  void httpStatusesMapPerHttpGrpcStatusMapping() {
    assertThat(GrpcProtocol.fromHttpStatus(400).code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(GrpcProtocol.fromHttpStatus(401).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(GrpcProtocol.fromHttpStatus(403).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(GrpcProtocol.fromHttpStatus(404).code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    for (int unavailable : new int[] {429, 502, 503, 504}) {
      assertThat(GrpcProtocol.fromHttpStatus(unavailable).code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
    assertThat(GrpcProtocol.fromHttpStatus(500).code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(GrpcProtocol.fromHttpStatus(302).description()).contains("HTTP status code 302");
  }

  @Test
  void http2ErrorsMapPerTheGrpcSpec() {
    assertThat(GrpcProtocol.fromHttp2Error(Http2Error.REFUSED_STREAM.code(), "x").code())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcProtocol.fromHttp2Error(Http2Error.CANCEL.code(), "x").code())
        .isEqualTo(Status.Code.CANCELLED);
    assertThat(GrpcProtocol.fromHttp2Error(Http2Error.ENHANCE_YOUR_CALM.code(), "x").code())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(GrpcProtocol.fromHttp2Error(Http2Error.INADEQUATE_SECURITY.code(), "x").code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(GrpcProtocol.fromHttp2Error(Http2Error.PROTOCOL_ERROR.code(), "x").code())
        .isEqualTo(Status.Code.INTERNAL);
    assertThat(GrpcProtocol.fromHttp2Error(0x99, "reset with").description())
        .contains("reset with error code 153");
  }

  @Test
  void grpcMessageIsPercentDecodedAsUtf8() {
    assertThat(GrpcProtocol.percentDecode("a%20b%E2%98%BA")).isEqualTo("a b\u263a");
    assertThat(GrpcProtocol.percentDecode("100%")).isEqualTo("100%");
    assertThat(GrpcProtocol.percentDecode("%zz")).isEqualTo("%zz");
    assertThat(GrpcProtocol.percentDecode("plain")).isEqualTo("plain");
  }

  @Test
  void reservedHeadersAreDroppedAndBinaryValuesBase64Encoded() {
    Metadata md = new Metadata();
    md.putAscii("x-user", "v");
    md.putAscii("content-type", "text/plain");
    md.putAscii("grpc-timeout", "1S");
    md.putAscii(":path", "/evil");
    md.putBinary("x-id-bin", new byte[] {(byte) 0xff, 0});
    Http2Headers h = new DefaultHttp2Headers(false);
    GrpcProtocol.addMetadata(md, h);
    assertThat(h.names()).extracting(CharSequence::toString).containsExactlyInAnyOrder("x-user", "x-id-bin");
    assertThat(h.get("x-id-bin").toString()).isEqualTo("/wA");
  }

  @Test
  void receivedBinaryHeadersAcceptPaddedUnpaddedAndCommaJoinedValues() {
    Http2Headers h = new DefaultHttp2Headers().status("200").add("x-a-bin", "/wA=")
        .add("x-b-bin", "AQ,Ag==").add("x-c", "text");
    Metadata md = GrpcProtocol.toMetadata(h);
    assertThat(md.getAll(Metadata.Key.of("x-a-bin", Metadata.BINARY_BYTE_MARSHALLER)))
        .containsExactly(new byte[] {(byte) 0xff, 0});
    assertThat(md.getAll(Metadata.Key.of("x-b-bin", Metadata.BINARY_BYTE_MARSHALLER)))
        .containsExactly(new byte[] {1}, new byte[] {2});
    assertThat(md.keys()).containsExactly("x-a-bin", "x-b-bin", "x-c");
  }
}
