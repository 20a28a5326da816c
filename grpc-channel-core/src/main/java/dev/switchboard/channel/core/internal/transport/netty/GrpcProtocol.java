package dev.switchboard.channel.core.internal.transport.netty;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The parts of gRPC over HTTP/2 that are pure functions: timeout encoding, status mappings,
 * {@code grpc-message} decoding, and metadata to and from HTTP/2 headers.
 *
 * <p>Thread-safe (stateless).
 */
final class GrpcProtocol {

  static final String CONTENT_TYPE_GRPC = "application/grpc";
  static final String GZIP = "gzip";
  static final String IDENTITY = "identity";
  /** What this transport can decompress, sent as {@code grpc-accept-encoding}. */
  static final String ACCEPT_ENCODING = "gzip";

  // Request header names and fixed values, built once: HPACK reads their bytes and cached hash.
  static final AsciiString POST = AsciiString.cached("POST");
  static final AsciiString HTTP = AsciiString.cached("http");
  static final AsciiString HTTPS = AsciiString.cached("https");
  static final AsciiString CONTENT_TYPE_HEADER = AsciiString.cached("content-type");
  static final AsciiString CONTENT_TYPE_GRPC_VALUE = AsciiString.cached(CONTENT_TYPE_GRPC);
  static final AsciiString TE_HEADER = AsciiString.cached("te");
  static final AsciiString TRAILERS_VALUE = AsciiString.cached("trailers");
  static final AsciiString USER_AGENT_HEADER = AsciiString.cached("user-agent");
  static final AsciiString TIMEOUT_HEADER = AsciiString.cached("grpc-timeout");
  static final AsciiString ENCODING_HEADER = AsciiString.cached("grpc-encoding");
  static final AsciiString GZIP_VALUE = AsciiString.cached(GZIP);
  static final AsciiString ACCEPT_ENCODING_HEADER = AsciiString.cached("grpc-accept-encoding");
  static final AsciiString ACCEPT_ENCODING_VALUE = AsciiString.cached(ACCEPT_ENCODING);

  /** Headers the transport owns: never copied from user metadata into a request. */
  private static final Set<String> RESERVED = Set.of(
      "content-type", "te", "user-agent", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
      "grpc-message-type", "host", "connection", "keep-alive", "proxy-connection",
      "transfer-encoding", "upgrade", "grpc-status", "grpc-message", "grpc-status-details-bin");

  private GrpcProtocol() {}

  /** Returns whether a user header named {@code name} must not be sent. */
  static boolean isReserved(String name) {
    return name.startsWith(":") || RESERVED.contains(name);
  }

  /**
   * Encodes a timeout as gRPC's {@code grpc-timeout}: at most 8 digits and a unit, the finest unit
   * that fits; zero or a negative timeout is sent as {@code 0n}.
   */
  static String encodeTimeout(long nanos) {
    if (nanos <= 0) {
      return "0n";
    }
    final long cutoff = 100_000_000L;
    if (nanos < cutoff) {
      return nanos + "n";
    }
    if (nanos < cutoff * 1_000L) {
      return TimeUnit.NANOSECONDS.toMicros(nanos) + "u";
    }
    if (nanos < cutoff * 1_000_000L) {
      return TimeUnit.NANOSECONDS.toMillis(nanos) + "m";
    }
    if (nanos < cutoff * 1_000_000_000L) {
      return TimeUnit.NANOSECONDS.toSeconds(nanos) + "S";
    }
    if (nanos / 60 < cutoff * 1_000_000_000L) {
      return TimeUnit.NANOSECONDS.toMinutes(nanos) + "M";
    }
    return Math.min(TimeUnit.NANOSECONDS.toHours(nanos), cutoff - 1) + "H";
  }

  /** Maps a non-200 HTTP status per gRPC's http-grpc-status-mapping. */
  static Status fromHttpStatus(int httpStatus) {
    Status.Code code;
    switch (httpStatus) {
      case 400:
        code = Status.Code.INTERNAL;
        break;
      case 401:
        code = Status.Code.UNAUTHENTICATED;
        break;
      case 403:
        code = Status.Code.PERMISSION_DENIED;
        break;
      case 404:
        code = Status.Code.UNIMPLEMENTED;
        break;
      case 429:
      case 502:
      case 503:
      case 504:
        code = Status.Code.UNAVAILABLE;
        break;
      default:
        code = Status.Code.UNKNOWN;
    }
    return code.toStatus().withDescription("HTTP status code " + httpStatus);
  }

  private static final Map<Http2Error, Status.Code> HTTP2_ERRORS = Map.of(
      Http2Error.REFUSED_STREAM, Status.Code.UNAVAILABLE,
      Http2Error.CANCEL, Status.Code.CANCELLED,
      Http2Error.ENHANCE_YOUR_CALM, Status.Code.RESOURCE_EXHAUSTED,
      Http2Error.INADEQUATE_SECURITY, Status.Code.PERMISSION_DENIED);

  /** Maps an HTTP/2 error code (RST_STREAM, GOAWAY) per gRPC's PROTOCOL-HTTP2 spec. */
  static Status fromHttp2Error(long errorCode, String what) {
    Http2Error error = Http2Error.valueOf(errorCode);
    Status.Code code = error == null ? Status.Code.INTERNAL
        : HTTP2_ERRORS.getOrDefault(error, Status.Code.INTERNAL);
    String name = error == null ? "error code " + errorCode : error.name();
    return code.toStatus().withDescription(what + " " + name);
  }

  /** Decodes a percent-encoded {@code grpc-message} (UTF-8); bad escapes are kept as they are. */
  static String percentDecode(CharSequence value) {
    String s = value.toString();
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] raw = s.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%' && i + 2 < raw.length) {
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      out.write(raw[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Adds user metadata to request headers: reserved names dropped, binary values base64. */
  static void addMetadata(Metadata metadata, Http2Headers headers) {
    metadata.forEach(new Metadata.EntryVisitor() {
      @Override
      public void ascii(String name, String value) {
        if (!isReserved(name)) {
          headers.add(name, value);
        }
      }

      @Override
      public void binary(String name, byte[] value) {
        if (!isReserved(name)) {
          headers.add(name, Base64.getEncoder().withoutPadding().encodeToString(value));
        }
      }
    });
  }

  /**
   * Converts received headers to metadata, without pseudo-headers.
   *
   * @throws IllegalArgumentException if a binary value is not base64
   */
  static Metadata toMetadata(Http2Headers headers) {
    Metadata m = new Metadata();
    for (Map.Entry<CharSequence, CharSequence> e : headers) {
      String name = e.getKey().toString();
      if (name.startsWith(":")) {
        continue;
      }
      if (name.endsWith(Metadata.BINARY_SUFFIX)) {
        // Values may be padded or not, and several may be comma-joined.
        for (String part : e.getValue().toString().split(",", -1)) {
          m.putBinary(name, Base64.getDecoder().decode(stripPadding(part.trim())));
        }
      } else {
        m.putAscii(name, e.getValue().toString());
      }
    }
    return m;
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }
}
