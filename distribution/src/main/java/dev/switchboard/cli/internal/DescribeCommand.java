package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code switchboard describe <target> [SERVICE]} (types from server reflection) and
 * {@code switchboard describe --protoset FILE [SERVICE]} (types from the descriptor set, no server):
 * each service, or the one named, with the file that declares it and its methods, one a line, in
 * the {@code .proto} notation with the kind at the end:
 *
 * <pre>
 * grpc.testing.TestService (grpc/testing/test.proto)
 *   rpc EmptyCall(grpc.testing.Empty) returns (grpc.testing.Empty)  unary
 *   rpc StreamingOutputCall(grpc.testing.StreamingOutputCallRequest) returns (stream grpc.testing.StreamingOutputCallResponse)  server streaming
 * </pre>
 *
 * <p>Services are sorted by name, methods keep the order of their declaration; a blank line
 * separates services.
 *
 * <p>Not thread-safe: runs once on the main thread.
 */
final class DescribeCommand {
  private final PrintStream out;

  DescribeCommand(PrintStream out) {
    this.out = requireNonNull(out, "out");
  }

  /** Prints the services of {@code types}, or only {@code service} if given. */
  void run(DescriptorSource types, Optional<String> service) throws CliException, InterruptedException {
    List<String> names = service.isPresent() ? List.of(service.get()) : types.serviceNames();
    StringBuilder sb = new StringBuilder();
    for (String name : names) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(render(types.service(name)));
    }
    out.print(sb);
  }

  /** Returns the lines of {@code service}: its name and file, then a line per method. */
  static String render(ServiceDescriptor service) {
    StringBuilder sb = new StringBuilder();
    sb.append(service.getFullName()).append(" (").append(service.getFile().getName()).append(")\n");
    for (MethodDescriptor m : service.getMethods()) {
      sb.append("  rpc ").append(m.getName()).append('(')
          .append(m.isClientStreaming() ? "stream " : "").append(m.getInputType().getFullName())
          .append(") returns (")
          .append(m.isServerStreaming() ? "stream " : "").append(m.getOutputType().getFullName())
          .append(")  ").append(JsonCall.kind(m)).append('\n');
    }
    return sb.toString();
  }
}
