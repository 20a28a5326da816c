package com.example.greeter;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.greeter.api.HelloReply;
import com.example.greeter.api.HelloRequest;
import com.example.greeter.api.HelloStreamRequest;
import com.example.greeter.api.SwitchboardGreeterGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linked image (target/greeter, made by plain jlink from the application's jar and its
 * dependencies) runs its launcher, {@code bin/greeter}, against a grpc-java server that implements
 * the greeter in this process on 127.0.0.1; the test checks what the launcher prints, also when a
 * call fails, and that the image holds one protobuf module.
 */
class GreeterImageIT {
  private static final Path IMAGE = Path.of(System.getProperty("greeter.image", "target/greeter"));

  @TempDir Path dir;
  private Server server;

  /** The outcome of one process. */
  private record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void startServer() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(greeter())
        .build()
        .start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.shutdownNow();
    assertThat(server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * grpc-java's side of greeter.proto, built on the same generated messages (grpc-java's own stub
   * generator is a native binary; the descriptors need only the names). An empty name is
   * INVALID_ARGUMENT; the name "fail-midway" ends the stream with ABORTED after two replies.
   */
  private static ServerServiceDefinition greeter() {
    MethodDescriptor<HelloRequest, HelloReply> sayHello = MethodDescriptor.<HelloRequest, HelloReply>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(SwitchboardGreeterGrpc.getSayHelloMethod().fullMethodName())
        .setRequestMarshaller(ProtoUtils.marshaller(HelloRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(HelloReply.getDefaultInstance()))
        .build();
    MethodDescriptor<HelloStreamRequest, HelloReply> sayHelloStream =
        MethodDescriptor.<HelloStreamRequest, HelloReply>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(SwitchboardGreeterGrpc.getSayHelloStreamMethod().fullMethodName())
            .setRequestMarshaller(ProtoUtils.marshaller(HelloStreamRequest.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(HelloReply.getDefaultInstance()))
            .build();
    return ServerServiceDefinition.builder(SwitchboardGreeterGrpc.SERVICE_NAME)
        .addMethod(sayHello, ServerCalls.asyncUnaryCall(GreeterImageIT::sayHello))
        .addMethod(sayHelloStream, ServerCalls.asyncServerStreamingCall(GreeterImageIT::sayHelloStream))
        .build();
  }

  private static void sayHello(HelloRequest request, StreamObserver<HelloReply> responses) {
    if (request.getName().isEmpty()) {
      responses.onError(Status.INVALID_ARGUMENT.withDescription("name is empty").asRuntimeException());
      return;
    }
    responses.onNext(HelloReply.newBuilder().setMessage("Hello, " + request.getName()).build());
    responses.onCompleted();
  }

  private static void sayHelloStream(HelloStreamRequest request, StreamObserver<HelloReply> responses) {
    for (int i = 1; i <= request.getCount(); i++) {
      if (request.getName().equals("fail-midway") && i == 3) {
        responses.onError(Status.ABORTED.withDescription("stopped after 2").asRuntimeException());
        return;
      }
      responses.onNext(HelloReply.newBuilder().setMessage("Hello #" + i + ", " + request.getName()).build());
    }
    responses.onCompleted();
  }

  private String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Test
  void theLinkedLauncherCallsTheGreeterUnaryAndStreaming() throws Exception {
    Run run = greeter(target(), "Ada", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("""
        unary: Hello, Ada
        stream 1: Hello #1, Ada
        stream 2: Hello #2, Ada
        stream 3: Hello #3, Ada
        stream done: 3 replies
        """);
  }

  @Test
  void aStreamThatFailsMidwayPrintsWhatArrivedThenOneErrorLine() throws Exception {
    Run run = greeter(target(), "fail-midway", "5");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo("""
        unary: Hello, fail-midway
        stream 1: Hello #1, fail-midway
        stream 2: Hello #2, fail-midway
        """);
    assertThat(run.err()).isEqualTo("greeter: call failed: ABORTED: stopped after 2\n");
  }

  @Test
  void aFailedUnaryCallIsOneErrorLine() throws Exception {
    Run run = greeter(target(), "", "1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("greeter: call failed: INVALID_ARGUMENT: name is empty\n");
  }

  @Test
  void badArgumentsExitWithTwo() throws Exception {
    Run run = greeter(target(), "Ada", "many");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("greeter: COUNT: \"many\" (expected: a number)\n");
  }

  @Test
  void theImageHoldsOneProtobufModuleAndNoAutomaticName() throws Exception {
    Run run = run(IMAGE.resolve("bin/java").toString(), "--list-modules");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> modules = run.out().lines().map(l -> l.replaceFirst("@.*", "")).toList();
    assertThat(modules).contains("com.example.greeter", "dev.switchboard.channel.core",
        "dev.switchboard.channel.protobuf", "dev.switchboard.channel.api");
    assertThat(modules).filteredOn(m -> m.contains("protobuf") && !m.startsWith("dev.switchboard."))
        .containsExactly("com.google.protobuf");
  }

  private Run greeter(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(IMAGE.resolve("bin/greeter").toString());
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  /** Runs a process, with no CLASSPATH and no JDK_JAVA_OPTIONS, for at most 120 s. */
  private Run run(String... command) throws Exception {
    Path out = Files.createTempFile(dir, "run", ".out");
    Path err = Files.createTempFile(dir, "run", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("CLASSPATH");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not end within 120 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
