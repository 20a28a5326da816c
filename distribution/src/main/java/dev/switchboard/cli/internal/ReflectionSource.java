package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCallStreamObserver;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.api.stub.StreamObserver;
import dev.switchboard.channel.protobuf.ProtoMarshallers;
import dev.switchboard.cli.internal.reflection.v1.ServerReflectionRequest;
import dev.switchboard.cli.internal.reflection.v1.ServerReflectionResponse;
import dev.switchboard.cli.internal.reflection.v1.ServiceResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The types of a server's services, asked of the server itself through gRPC server reflection
 * ({@code grpc.reflection.v1.ServerReflection/ServerReflectionInfo}, one bidirectional stream for
 * every question of a command, as grpcurl does), through the command's channel.
 *
 * <p>A server that answers the v1 stream with {@code UNIMPLEMENTED} before any answer is asked
 * again on {@code grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo}, the older name
 * that grpc-java's {@code ProtoReflectionService} and many servers still serve alone. Its messages
 * are those of v1, field for field (the two {@code .proto} files differ in package and comments
 * only), so both streams carry the v1 classes generated from {@code grpc/reflection/v1/
 * reflection.proto} (our copy, under {@code dev.switchboard.cli.internal.reflection.v1}). When both
 * are unimplemented, the error says so and points at {@code --protoset}.
 *
 * <p>Files come in answers to {@code file_containing_symbol} (a service's file and, as servers
 * send them, its imports); an import not sent is asked for by {@code file_by_filename}
 * ({@link DescriptorFiles}).
 *
 * <p>Not thread-safe: one command asks from one thread; the stream's callbacks only queue.
 */
final class ReflectionSource implements DescriptorSource {
  static final String V1 = "grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
  static final String V1ALPHA = "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

  private static final Object COMPLETED = new Object();

  private final Channel channel;
  private final String target;
  private final CallOptions options;
  private final DescriptorFiles files;
  private String method = V1;
  private Stream stream;
  private CliException failed;

  /**
   * @param target the channel's target, as errors name it
   * @param deadline the deadline of the reflection stream, from its start
   */
  ReflectionSource(Channel channel, String target, Duration deadline) {
    this.channel = requireNonNull(channel, "channel");
    this.target = requireNonNull(target, "target");
    this.options = CallOptions.DEFAULT.withDeadlineAfter(requireNonNull(deadline, "deadline"));
    this.files = new DescriptorFiles(name(), this::fileByName,
        "not sent with the file, and file_by_filename answers NOT_FOUND");
  }

  /** Returns the method of the stream in use: {@link #V1}, or {@link #V1ALPHA} after a fall back. */
  String method() {
    return method;
  }

  @Override
  public String name() {
    return "server reflection of " + target;
  }

  @Override
  public List<String> serviceNames() throws CliException, InterruptedException {
    ServerReflectionResponse r = ask(ServerReflectionRequest.newBuilder().setListServices("*").build());
    if (!r.hasListServicesResponse()) {
      throw unexpected("list_services", r);
    }
    return r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
        .sorted().toList();
  }

  @Override
  public ServiceDescriptor service(String fullName) throws CliException, InterruptedException {
    ServerReflectionResponse r = ask(
        ServerReflectionRequest.newBuilder().setFileContainingSymbol(fullName).build());
    if (isNotFound(r)) {
      throw DescriptorSource.serviceNotFound(fullName, name(), serviceNames());
    }
    List<FileDescriptorProto> sent = files("file_containing_symbol " + fullName, r);
    files.add(sent);
    for (FileDescriptorProto p : sent) {
      for (ServiceDescriptorProto s : p.getServiceList()) {
        String name = p.getPackage().isEmpty() ? s.getName() : p.getPackage() + "." + s.getName();
        if (name.equals(fullName)) {
          FileDescriptor fd = files.build(p.getName());
          return fd.findServiceByName(s.getName());
        }
      }
    }
    // A symbol of that name that is not a service (a message, a method).
    throw DescriptorSource.serviceNotFound(fullName, name(), serviceNames());
  }

  @Override
  public Collection<FileDescriptor> files() {
    return files.built();
  }

  @Override
  public void close() {
    if (stream != null && failed == null) {
      stream.requests.onCompleted();
    }
  }

  private List<FileDescriptorProto> fileByName(String fileName)
      throws CliException {
    ServerReflectionResponse r;
    try {
      r = ask(ServerReflectionRequest.newBuilder().setFileByFilename(fileName).build());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure(name() + ": interrupted");
    }
    return isNotFound(r) ? List.of() : files("file_by_filename " + fileName, r);
  }

  private List<FileDescriptorProto> files(String question, ServerReflectionResponse r)
      throws CliException {
    if (!r.hasFileDescriptorResponse()) {
      throw unexpected(question, r);
    }
    List<FileDescriptorProto> protos = new ArrayList<>();
    for (ByteString bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      try {
        protos.add(FileDescriptorProto.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw CliException.failure(name() + ": the answer to " + question
            + " holds a file descriptor that does not parse: " + e.getMessage());
      }
    }
    return protos;
  }

  private static boolean isNotFound(ServerReflectionResponse r) {
    return r.hasErrorResponse()
        && r.getErrorResponse().getErrorCode() == Status.Code.NOT_FOUND.value();
  }

  private CliException unexpected(String question, ServerReflectionResponse r) {
    if (r.hasErrorResponse()) {
      return CliException.failure(name() + ": " + question + ": "
          + Status.fromCodeValue(r.getErrorResponse().getErrorCode()).code() + ": "
          + r.getErrorResponse().getErrorMessage());
    }
    return CliException.failure(name() + ": " + question + " answered with "
        + r.getMessageResponseCase());
  }

  /** Sends {@code request} on the stream (opening it, or falling back to v1alpha) and waits for the answer. */
  private ServerReflectionResponse ask(ServerReflectionRequest request)
      throws CliException, InterruptedException {
    while (true) {
      if (failed != null) {
        throw failed;
      }
      if (stream == null) {
        stream = new Stream(method);
      }
      stream.requests.onNext(request);
      Object answer;
      try {
        answer = stream.answers.take();
      } catch (InterruptedException e) {
        stream.requests.cancel("interrupted", e);
        throw e;
      }
      if (answer instanceof ServerReflectionResponse r) {
        stream.answered = true;
        return r;
      }
      if (answer instanceof StatusException e && e.status().code() == Status.Code.UNIMPLEMENTED
          && !stream.answered && method.equals(V1)) {
        method = V1ALPHA;
        stream = null;
        continue;
      }
      failed = streamFailure(answer);
      throw failed;
    }
  }

  private CliException streamFailure(Object answer) {
    if (answer == COMPLETED) {
      return CliException.failure(name() + ": the server ended the stream without an answer");
    }
    Status status = Status.fromThrowable((Throwable) answer);
    if (status.code() == Status.Code.UNIMPLEMENTED && method.equals(V1ALPHA)) {
      return CliException.failure(target + " does not offer server reflection (grpc.reflection.v1"
          + " and v1alpha: UNIMPLEMENTED); name the types with --protoset FILE");
    }
    return CliException.failure(name() + ": " + status.code()
        + status.description().map(d -> ": " + d.lines().findFirst().orElse("")).orElse(""));
  }

  /** One reflection stream: the requests' observer, and the answers as they come. */
  private final class Stream implements StreamObserver<ServerReflectionResponse> {
    final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    final ClientCallStreamObserver<ServerReflectionRequest> requests;
    boolean answered;

    Stream(String fullMethodName) {
      MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> m = MethodDescriptor
          .newBuilder(ProtoMarshallers.marshaller(ServerReflectionRequest.getDefaultInstance()),
              ProtoMarshallers.marshaller(ServerReflectionResponse.getDefaultInstance()))
          .type(MethodDescriptor.MethodType.BIDI_STREAMING)
          .fullMethodName(fullMethodName)
          .build();
      requests = ClientCalls.bidiStreamingCall(channel, m, options, this);
    }

    @Override
    public void onNext(ServerReflectionResponse value) {
      answers.add(value);
    }

    @Override
    public void onError(Throwable t) {
      answers.add(t);
    }

    @Override
    public void onCompleted() {
      answers.add(COMPLETED);
    }
  }
}
