package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code switchboard describe} in process, against grpc-java's TestService with v1 reflection. */
class DescribeCommandTest {
  static final String TEST_SERVICE = """
      grpc.testing.TestService (grpc/testing/test.proto)
        rpc EmptyCall(grpc.testing.Empty) returns (grpc.testing.Empty)  unary
        rpc UnaryCall(grpc.testing.SimpleRequest) returns (grpc.testing.SimpleResponse)  unary
        rpc CacheableUnaryCall(grpc.testing.SimpleRequest) returns (grpc.testing.SimpleResponse)  unary
        rpc StreamingOutputCall(grpc.testing.StreamingOutputCallRequest) returns (stream grpc.testing.StreamingOutputCallResponse)  server streaming
        rpc StreamingInputCall(stream grpc.testing.StreamingInputCallRequest) returns (grpc.testing.StreamingInputCallResponse)  client streaming
        rpc FullDuplexCall(stream grpc.testing.StreamingOutputCallRequest) returns (stream grpc.testing.StreamingOutputCallResponse)  bidi streaming
        rpc HalfDuplexCall(stream grpc.testing.StreamingOutputCallRequest) returns (stream grpc.testing.StreamingOutputCallResponse)  bidi streaming
        rpc UnimplementedCall(grpc.testing.Empty) returns (grpc.testing.Empty)  unary
      """;

  private final CapturedCli cli = new CapturedCli();
  private ReflectionTestServer server;

  @BeforeEach
  void startServer() {
    server = new ReflectionTestServer(ReflectionTestServer.Reflection.V1);
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.close();
  }

  @Test
  void describeOfAServiceListsItsMethodsWithTypesAndStreamingKind() {
    assertThat(cli.run("describe", server.target(), "grpc.testing.TestService", "--plaintext"))
        .as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo(TEST_SERVICE);
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void describeWithoutAServiceListsEveryServiceTheServerHasSortedByName() {
    assertThat(cli.run("describe", server.target(), "--plaintext")).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("""
        grpc.reflection.v1.ServerReflection (grpc/reflection/v1/reflection.proto)
          rpc ServerReflectionInfo(stream grpc.reflection.v1.ServerReflectionRequest) returns (stream grpc.reflection.v1.ServerReflectionResponse)  bidi streaming

        """ + TEST_SERVICE);
    // One reflection stream for every question of the command.
    assertThat(server.calls(ReflectionSource.V1)).isEqualTo(1);
  }

  @Test
  void describeOfAnUnknownServiceIsOneLineNamingTheServicesThereAre() {
    assertThat(cli.run("describe", server.target(), "grpc.testing.Nope", "--plaintext")).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("switchboard: describe: service 'grpc.testing.Nope' not found by"
        + " server reflection of " + server.target()
        + " (it has: grpc.reflection.v1.ServerReflection, grpc.testing.TestService)\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void describeOfAMessageNameIsNotAService() {
    assertThat(cli.run("describe", server.target(), "grpc.testing.SimpleRequest", "--plaintext"))
        .isEqualTo(2);
    assertThat(cli.err()).startsWith("switchboard: describe: service 'grpc.testing.SimpleRequest' not found");
  }

  @Test
  void describeWithoutATargetIsABadArgument() {
    assertThat(cli.run("describe")).isEqualTo(2);
    assertThat(cli.err()).isEqualTo(
        "switchboard: describe: expected a target and at most one service, got none\n");
  }

  @Test
  void describeOfAClosedPortIsOneLineWithTheStatus() throws Exception {
    String target = server.target();
    server.close();
    assertThat(cli.run("describe", target, "--plaintext", "--deadline", "2s")).isEqualTo(1);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("switchboard: describe: server reflection of " + target + ": UNAVAILABLE");
  }
}
