package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.reflection.v1.ErrorResponse;
import io.grpc.reflection.v1.FileDescriptorResponse;
import io.grpc.reflection.v1.ListServiceResponse;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.TestServiceImpl;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server reflection that is not grpc-java's: a hand-written {@code grpc.reflection.v1} service
 * (beside grpc-java's interop TestService, on 127.0.0.1) that answers {@code
 * file_containing_symbol} with the one file that declares the symbol and no import, so the CLI
 * must ask for each import by name; that may not know an import, send bytes that are no file
 * descriptor, or answer with an error.
 */
class PartialReflectionTest {
  private static final String UNARY = "grpc.testing.TestService/UnaryCall";
  /** grpc/testing/test.proto, as grpc-java's interop classes hold it. */
  private static final FileDescriptor INTEROP_TEST_PROTO =
      io.grpc.testing.integration.Test.getDescriptor();

  private final CapturedCli cli = new CapturedCli();
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
  private final List<String> askedByName = new CopyOnWriteArrayList<>();
  private final Map<String, FileDescriptor> files = new HashMap<>();
  private Server server;

  /** How the hand-written reflection service misbehaves. */
  private enum Fault { NONE, UNKNOWN_IMPORT, GARBAGE, LIST_FAILS, ENDS_STREAM }

  private String start(Fault fault) throws Exception {
    index(INTEROP_TEST_PROTO);
    ServerReflectionGrpc.ServerReflectionImplBase reflection = new ServerReflectionGrpc.ServerReflectionImplBase() {
      @Override
      public StreamObserver<ServerReflectionRequest> serverReflectionInfo(
          StreamObserver<ServerReflectionResponse> responses) {
        return new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionRequest r) {
            if (fault == Fault.ENDS_STREAM) {
              responses.onCompleted();
            } else {
              responses.onNext(answer(r, fault));
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            responses.onCompleted();
          }
        };
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new TestServiceImpl(executor), TestServiceImpl.interceptors()))
        .addService(reflection)
        .build().start();
    return "127.0.0.1:" + server.getPort();
  }

  private void index(FileDescriptor f) {
    files.put(f.getName(), f);
    f.getDependencies().forEach(this::index);
  }

  private ServerReflectionResponse answer(ServerReflectionRequest r, Fault fault) {
    ServerReflectionResponse.Builder b = ServerReflectionResponse.newBuilder().setOriginalRequest(r);
    switch (r.getMessageRequestCase()) {
      case LIST_SERVICES -> {
        if (fault == Fault.LIST_FAILS) {
          return b.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(13).setErrorMessage("index is down")).build();
        }
        return b.setListServicesResponse(ListServiceResponse.newBuilder()
            .addService(ServiceResponse.newBuilder().setName("grpc.testing.TestService"))).build();
      }
      case FILE_CONTAINING_SYMBOL -> {
        if (fault == Fault.GARBAGE) {
          return b.setFileDescriptorResponse(FileDescriptorResponse.newBuilder()
              .addFileDescriptorProto(ByteString.copyFromUtf8("\u0008\u00ff not a descriptor"))).build();
        }
        for (FileDescriptor f : files.values()) {
          if (f.getServices().stream().anyMatch(x -> x.getFullName().equals(r.getFileContainingSymbol()))) {
            return file(b, f);
          }
        }
      }
      case FILE_BY_FILENAME -> {
        askedByName.add(r.getFileByFilename());
        FileDescriptor f = files.get(r.getFileByFilename());
        boolean hidden = fault == Fault.UNKNOWN_IMPORT && r.getFileByFilename().equals("grpc/testing/messages.proto");
        if (f != null && !hidden) {
          return file(b, f);
        }
      }
      default -> {}
    }
    return b.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(5).setErrorMessage("not found")).build();
  }

  private static ServerReflectionResponse file(ServerReflectionResponse.Builder b, FileDescriptor f) {
    return b.setFileDescriptorResponse(FileDescriptorResponse.newBuilder()
        .addFileDescriptorProto(f.toProto().toByteString())).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    executor.shutdownNow();
  }

  @Test
  void importsTheServerDoesNotSendAreAskedForByName() throws Exception {
    String target = start(Fault.NONE);
    assertThat(cli.run("call", target, "--plaintext", "--method", UNARY, "--data", "{\"responseSize\": 1}"))
        .as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("{\"payload\":{\"body\":\"AA==\"}}\n");
    assertThat(askedByName).containsExactlyInAnyOrderElementsOf(
        INTEROP_TEST_PROTO.getDependencies().stream().map(FileDescriptor::getName).toList());
  }

  @Test
  void importTheServerDoesNotKnowIsOneLineNamingItAndNoCallIsMade() throws Exception {
    String target = start(Fault.UNKNOWN_IMPORT);
    assertThat(cli.run("call", target, "--plaintext", "--method", UNARY, "--data", "{}")).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("switchboard: call: server reflection of " + target
        + ": 'grpc/testing/test.proto' imports 'grpc/testing/messages.proto', which is not there"
        + " (not sent with the file, and file_by_filename answers NOT_FOUND)\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void fileDescriptorThatDoesNotParseIsOneLine() throws Exception {
    String target = start(Fault.GARBAGE);
    assertThat(cli.run("describe", target, "grpc.testing.TestService", "--plaintext")).isEqualTo(1);
    assertThat(cli.err().lines()).singleElement().asString().startsWith("switchboard: describe:"
        + " server reflection of " + target + ": the answer to file_containing_symbol"
        + " grpc.testing.TestService holds a file descriptor that does not parse: ");
  }

  @Test
  void errorAnswerOfTheServerIsOneLineWithItsCodeAndMessage() throws Exception {
    String target = start(Fault.LIST_FAILS);
    assertThat(cli.run("describe", target, "--plaintext")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("switchboard: describe: server reflection of " + target
        + ": list_services: INTERNAL: index is down\n");
  }

  @Test
  void streamThatEndsWithoutAnAnswerIsOneLine() throws Exception {
    String target = start(Fault.ENDS_STREAM);
    assertThat(cli.run("call", target, "--plaintext", "--method", UNARY, "--data", "{}")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("switchboard: call: server reflection of " + target
        + ": the server ended the stream without an answer\n");
  }
}
