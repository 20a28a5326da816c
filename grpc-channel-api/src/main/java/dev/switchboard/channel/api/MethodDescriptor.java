package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;

/**
 * Describes a remote method: its full name ({@code package.Service/Method}), its kind, and how its
 * request and response messages are turned into bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 * @since 0.1
 */
public final class MethodDescriptor<ReqT, RespT> {

  /**
   * The kind of a method, by how many messages flow each way.
   *
   * @since 0.1
   */
  public enum MethodType {
    /** One request, one response. */
    UNARY,
    /** Many requests, one response. */
    CLIENT_STREAMING,
    /** One request, many responses. */
    SERVER_STREAMING,
    /** Many requests, many responses. */
    BIDI_STREAMING,
    /** Not known; treated as bidi streaming. */
    UNKNOWN;

    /** Returns whether the client sends exactly one message. */
    public boolean clientSendsOneMessage() {
      return this == UNARY || this == SERVER_STREAMING;
    }

    /** Returns whether the server sends exactly one message. */
    public boolean serverSendsOneMessage() {
      return this == UNARY || this == CLIENT_STREAMING;
    }
  }

  /**
   * Turns messages into a byte stream and back. Implementations are thread-safe.
   *
   * <p>A stream returned by {@link #stream} whose {@link InputStream#available()} gives its exact
   * remaining length lets the transport size the frame once ({@link java.io.ByteArrayInputStream}
   * does); one that is also {@link Drainable} is written into the frame with no intermediate array.
   * The stream given to {@link #parse} may be {@link HasByteBuffers}, for parsing in place.
   *
   * @param <T> the message type
   * @since 0.1
   */
  public interface Marshaller<T> {
    /** Returns the serialized form of {@code value}. */
    InputStream stream(T value);

    /**
     * Parses a message. The stream holds exactly one message; a parser that throws makes the call
     * fail with {@link Status.Code#INTERNAL} naming the method.
     */
    T parse(InputStream stream);
  }

  private final MethodType type;
  private final String fullMethodName;
  private final String serviceName;
  private final String path;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;
  private final boolean idempotent;
  private final boolean safe;

  private MethodDescriptor(Builder<ReqT, RespT> b) {
    this.type = requireNonNull(b.type, "type");
    this.fullMethodName = requireNonNull(b.fullMethodName, "fullMethodName");
    int slash = fullMethodName.lastIndexOf('/');
    if (slash <= 0 || slash == fullMethodName.length() - 1) {
      throw new IllegalArgumentException(
          "fullMethodName: " + ErrorText.quote(fullMethodName) + " (expected: package.Service/Method)");
    }
    this.serviceName = fullMethodName.substring(0, slash);
    this.path = "/" + fullMethodName;
    this.requestMarshaller = requireNonNull(b.requestMarshaller, "requestMarshaller");
    this.responseMarshaller = requireNonNull(b.responseMarshaller, "responseMarshaller");
    this.idempotent = b.idempotent;
    this.safe = b.safe;
  }

  /** Returns a builder. */
  public static <ReqT, RespT> Builder<ReqT, RespT> newBuilder(
      Marshaller<ReqT> requestMarshaller, Marshaller<RespT> responseMarshaller) {
    return new Builder<ReqT, RespT>().requestMarshaller(requestMarshaller).responseMarshaller(responseMarshaller);
  }

  /** Returns {@code service + "/" + method}. */
  public static String fullMethodName(String service, String method) {
    return requireNonNull(service, "service") + "/" + requireNonNull(method, "method");
  }

  /** Returns the method kind. */
  public MethodType type() {
    return type;
  }

  /** Returns {@code package.Service/Method}. */
  public String fullMethodName() {
    return fullMethodName;
  }

  /** Returns {@code package.Service}. */
  public String serviceName() {
    return serviceName;
  }

  /** Returns {@code Method}. */
  public String bareMethodName() {
    return fullMethodName.substring(serviceName.length() + 1);
  }

  /** Returns the HTTP/2 {@code :path}, {@code /package.Service/Method}. */
  public String path() {
    return path;
  }

  /** Returns the request marshaller. */
  public Marshaller<ReqT> requestMarshaller() {
    return requestMarshaller;
  }

  /** Returns the response marshaller. */
  public Marshaller<RespT> responseMarshaller() {
    return responseMarshaller;
  }

  /** Returns whether the method is idempotent. */
  public boolean isIdempotent() {
    return idempotent;
  }

  /** Returns whether the method is safe (no side effects). */
  public boolean isSafe() {
    return safe;
  }

  /** Serializes a request. */
  public InputStream streamRequest(ReqT request) {
    return requestMarshaller.stream(request);
  }

  /** Parses a response. */
  public RespT parseResponse(InputStream stream) {
    return responseMarshaller.parse(stream);
  }

  /** Returns a builder that starts with this descriptor's values. */
  public Builder<ReqT, RespT> toBuilder() {
    return new Builder<ReqT, RespT>()
        .type(type)
        .fullMethodName(fullMethodName)
        .requestMarshaller(requestMarshaller)
        .responseMarshaller(responseMarshaller)
        .idempotent(idempotent)
        .safe(safe);
  }

  @Override
  public String toString() {
    return "MethodDescriptor{" + fullMethodName + ", " + type + "}";
  }

  /**
   * Builds a {@link MethodDescriptor}. Not thread-safe.
   *
   * @param <ReqT> the request message type
   * @param <RespT> the response message type
   * @since 0.1
   */
  public static final class Builder<ReqT, RespT> {
    private MethodType type = MethodType.UNARY;
    private String fullMethodName;
    private Marshaller<ReqT> requestMarshaller;
    private Marshaller<RespT> responseMarshaller;
    private boolean idempotent;
    private boolean safe;

    private Builder() {}

    /** Sets the method kind. Default: {@link MethodType#UNARY}. */
    public Builder<ReqT, RespT> type(MethodType type) {
      this.type = requireNonNull(type, "type");
      return this;
    }

    /** Sets the full method name, {@code package.Service/Method}. Required. */
    public Builder<ReqT, RespT> fullMethodName(String fullMethodName) {
      this.fullMethodName = requireNonNull(fullMethodName, "fullMethodName");
      return this;
    }

    /** Sets the request marshaller. Required. */
    public Builder<ReqT, RespT> requestMarshaller(Marshaller<ReqT> marshaller) {
      this.requestMarshaller = requireNonNull(marshaller, "marshaller");
      return this;
    }

    /** Sets the response marshaller. Required. */
    public Builder<ReqT, RespT> responseMarshaller(Marshaller<RespT> marshaller) {
      this.responseMarshaller = requireNonNull(marshaller, "marshaller");
      return this;
    }

    /** Marks the method idempotent. Default: false. */
    public Builder<ReqT, RespT> idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /** Marks the method safe (implies idempotent). Default: false. */
    public Builder<ReqT, RespT> safe(boolean safe) {
      this.safe = safe;
      if (safe) {
        this.idempotent = true;
      }
      return this;
    }

    /**
     * Returns the descriptor.
     *
     * @throws IllegalArgumentException if the full method name is not {@code Service/Method}
     */
    public MethodDescriptor<ReqT, RespT> build() {
      return new MethodDescriptor<>(this);
    }
  }
}
