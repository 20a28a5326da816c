package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import java.util.concurrent.TimeUnit;

/**
 * Our {@link Channel} on grpc-java's, so that the stubs of {@code …api.stub} meet a real transport
 * and a real server before Switchboard's own channel exists. Carries the executor, deadline,
 * wait-for-ready and metadata across.
 */
final class GrpcJavaChannel implements Channel {

  private final io.grpc.Channel delegate;

  GrpcJavaChannel(io.grpc.Channel delegate) {
    this.delegate = delegate;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    io.grpc.CallOptions grpcOptions = io.grpc.CallOptions.DEFAULT;
    if (options.executor().isPresent()) {
      grpcOptions = grpcOptions.withExecutor(options.executor().get());
    }
    if (options.deadline().isPresent()) {
      grpcOptions = grpcOptions.withDeadlineAfter(
          options.deadline().get().timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
    }
    if (options.isWaitForReady()) {
      grpcOptions = grpcOptions.withWaitForReady();
    }
    io.grpc.ClientCall<ReqT, RespT> call = delegate.newCall(GrpcJava.descriptor(method), grpcOptions);
    return new ClientCall<>() {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        call.start(new io.grpc.ClientCall.Listener<>() {
          @Override
          public void onHeaders(io.grpc.Metadata headers) {
            listener.onHeaders(ours(headers));
          }

          @Override
          public void onMessage(RespT message) {
            listener.onMessage(message);
          }

          @Override
          public void onClose(io.grpc.Status status, io.grpc.Metadata trailers) {
            listener.onClose(Status.fromCodeValue(status.getCode().value())
                .withDescription(status.getDescription())
                .withCause(status.getCause()), ours(trailers));
          }

          @Override
          public void onReady() {
            listener.onReady();
          }
        }, theirs(headers));
      }

      @Override
      public void request(int numMessages) {
        call.request(numMessages);
      }

      @Override
      public void cancel(String message, Throwable cause) {
        call.cancel(message, cause);
      }

      @Override
      public void halfClose() {
        call.halfClose();
      }

      @Override
      public void sendMessage(ReqT message) {
        call.sendMessage(message);
      }

      @Override
      public boolean isReady() {
        return call.isReady();
      }
    };
  }

  @Override
  public String authority() {
    return delegate.authority();
  }

  private static io.grpc.Metadata theirs(Metadata ours) {
    io.grpc.Metadata theirs = new io.grpc.Metadata();
    ours.forEach(new Metadata.EntryVisitor() {
      @Override
      public void ascii(String name, String value) {
        theirs.put(io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER), value);
      }

      @Override
      public void binary(String name, byte[] value) {
        theirs.put(io.grpc.Metadata.Key.of(name, io.grpc.Metadata.BINARY_BYTE_MARSHALLER), value);
      }
    });
    return theirs;
  }

  private static Metadata ours(io.grpc.Metadata theirs) {
    Metadata ours = new Metadata();
    for (String name : theirs.keys()) {
      if (name.endsWith(io.grpc.Metadata.BINARY_HEADER_SUFFIX)) {
        theirs.getAll(io.grpc.Metadata.Key.of(name, io.grpc.Metadata.BINARY_BYTE_MARSHALLER))
            .forEach(v -> ours.putBinary(name, v));
      } else {
        theirs.getAll(io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER))
            .forEach(v -> ours.putAscii(name, v));
      }
    }
    return ours;
  }
}
