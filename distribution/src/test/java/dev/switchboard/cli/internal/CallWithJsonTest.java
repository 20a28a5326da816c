package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code switchboard call --data} in process, against grpc-java's interop TestService with
 * grpc-java's {@code grpc.reflection.v1} service, on loopback: every kind of method, and the errors
 * of bad input.
 */
class CallWithJsonTest {
  static final String SERVICE = "grpc.testing.TestService";

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

  private int call(InputStream stdin, String method, String... options) {
    List<String> argv = new ArrayList<>(List.of("call", server.target(), "--plaintext",
        "--method", SERVICE + "/" + method));
    argv.addAll(List.of(options));
    return cli.run(stdin, argv);
  }

  private int call(String method, String... options) {
    return call(InputStream.nullInputStream(), method, options);
  }

  @Test
  void unaryCallPrintsTheResponseAsOneLineOfJson() {
    assertThat(call("UnaryCall", "--data", "{\"responseSize\": 3, \"payload\": {\"body\": \"AAA=\"}}"))
        .as(cli.err()).isZero();
    // Three zero bytes, base64 as protobuf's JSON mapping writes bytes.
    assertThat(cli.out()).isEqualTo("{\"payload\":{\"body\":\"AAAA\"}}\n");
    assertThat(cli.err()).isEmpty();
    assertThat(server.calls(SERVICE + "/UnaryCall")).isEqualTo(1);
  }

  @Test
  void fieldNamesAsDeclaredInTheProtoAreAcceptedToo() {
    assertThat(call("UnaryCall", "-d", "{\"response_size\": 2}")).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("{\"payload\":{\"body\":\"AAA=\"}}\n");
  }

  @Test
  void emptyMessageIsPrintedAsAnEmptyObject() {
    assertThat(call("EmptyCall", "--data", "{}")).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("{}\n");
  }

  @Test
  void requestFromStdinWithDashDAtDash() {
    assertThat(call(CapturedCli.stdin("{\"responseSize\": 1}\n"), "UnaryCall", "-d", "@-")).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("{\"payload\":{\"body\":\"AA==\"}}\n");
  }

  @Test
  void serverStreamingCallPrintsOneLinePerResponse() {
    assertThat(call("StreamingOutputCall", "--data",
        "{\"responseParameters\": [{\"size\": 1}, {\"size\": 2}, {\"size\": 3}]}")).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("""
        {"payload":{"body":"AA=="}}
        {"payload":{"body":"AAA="}}
        {"payload":{"body":"AAAA"}}
        """);
  }

  @Test
  void clientStreamingCallSendsEachObjectOfTheInputAsARequest() {
    assertThat(call(CapturedCli.stdin("{\"payload\": {\"body\": \"AAA=\"}}\n{\"payload\": {\"body\": \"AAAAAA==\"}}\n"
        + "{\"payload\": {}}\n"), "StreamingInputCall", "-d", "@-")).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("{\"aggregatedPayloadSize\":6}\n");
  }

  @Test
  void largeClientStreamIsSentAsTheServerTakesIt() {
    // 300 requests of 16 KiB each: far past the 32 KiB a call buffers before it is not ready.
    String body = Base64.getEncoder().encodeToString(new byte[16 * 1024]);
    String input = ("{\"payload\": {\"body\": \"" + body + "\"}}\n").repeat(300);
    assertThat(call(CapturedCli.stdin(input), "StreamingInputCall", "-d", "@-", "--deadline", "60s"))
        .as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("{\"aggregatedPayloadSize\":" + 300 * 16 * 1024 + "}\n");
  }

  @Test
  void bidiStreamingCallReadsAndWritesJsonLines() {
    // Objects one per line, and one pretty-printed over several lines.
    String input = """
        {"responseParameters": [{"size": 1}]}
        {"responseParameters": [{"size": 2}, {"size": 3}]}
        {
          "responseParameters": [{"size": 4}]
        }
        """;
    assertThat(call(CapturedCli.stdin(input), "FullDuplexCall", "-d", "@-")).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("""
        {"payload":{"body":"AA=="}}
        {"payload":{"body":"AAA="}}
        {"payload":{"body":"AAAA"}}
        {"payload":{"body":"AAAAAA=="}}
        """);
  }

  @Test
  void statusOfTheServerIsOneLineNamingTheMethodAndExitCodeOne() {
    assertThat(call("UnaryCall", "--data",
        "{\"responseStatus\": {\"code\": 3, \"message\": \"boom\"}}")).isEqualTo(1);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).isEqualTo("switchboard: call: " + server.target() + ": " + SERVICE
        + "/UnaryCall: INVALID_ARGUMENT: boom\n");
  }

  @Test
  void statusOfTheServerInABidiStreamIsOneLine() {
    assertThat(call(CapturedCli.stdin("{\"responseStatus\": {\"code\": 9, \"message\": \"stop here\"}}\n"),
        "FullDuplexCall", "-d", "@-")).isEqualTo(1);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).isEqualTo("switchboard: call: " + server.target() + ": " + SERVICE
        + "/FullDuplexCall: FAILED_PRECONDITION: stop here\n");
  }

  @Test
  void unknownServiceIsOneLineNamingItAndTheServicesThereAre() {
    assertThat(cli.run("call", server.target(), "--plaintext", "--method",
        "grpc.testing.NoSuchService/UnaryCall", "--data", "{}")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .isEqualTo("switchboard: call: service 'grpc.testing.NoSuchService' not found by server"
            + " reflection of " + server.target() + " (it has: grpc.reflection.v1.ServerReflection, "
            + SERVICE + ")");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void unknownMethodIsOneLineNamingItAndTheMethodsThereAre() {
    assertThat(call("NoSuchMethod", "--data", "{}")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .isEqualTo("switchboard: call: method 'NoSuchMethod' not found in service " + SERVICE
            + " (it has: EmptyCall, UnaryCall, CacheableUnaryCall, StreamingOutputCall,"
            + " StreamingInputCall, FullDuplexCall, HalfDuplexCall, UnimplementedCall)");
  }

  @Test
  void jsonThatDoesNotFitTheRequestTypeIsOneLineAndNoCallIsMade() {
    assertThat(call("UnaryCall", "--data", "{\"responseSize\": 1, \"colour\": \"red\"}")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("switchboard: call: --data: request #1 does not fit grpc.testing.SimpleRequest: ")
        .contains("colour");
    assertThat(server.calls(SERVICE + "/UnaryCall")).isZero();
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void valueOfTheWrongTypeIsOneLineNamingTheRequestType() {
    assertThat(call("UnaryCall", "--data", "{\"responseSize\": \"many\"}")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("switchboard: call: --data: request #1 does not fit grpc.testing.SimpleRequest: ");
  }

  @Test
  void inputThatIsNotJsonIsOneLine() {
    assertThat(call("UnaryCall", "--data", "{\"responseSize\": ")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("switchboard: call: --data: request #1 is not JSON: ");
    assertThat(server.calls(SERVICE + "/UnaryCall")).isZero();
  }

  @Test
  void badObjectInTheMiddleOfAStreamCancelsTheCall() throws InterruptedException {
    String input = """
        {"payload": {"body": "AAA="}}
        {"payload": {"bodyLength": 3}}
        {"payload": {"body": "AAA="}}
        """;
    assertThat(call(CapturedCli.stdin(input), "StreamingInputCall", "-d", "@-")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString().startsWith(
        "switchboard: call: stdin: request #2 does not fit grpc.testing.StreamingInputCallRequest: ")
        .contains("bodyLength");
    // Cancelled, not half-closed: the server never answers with the aggregated size. The server
    // counts the call on its own executor, which may run after the CLI has returned.
    assertThat(cli.out()).isEmpty();
    server.awaitCalls(SERVICE + "/StreamingInputCall", 1, Duration.ofSeconds(5));
    assertThat(server.calls(SERVICE + "/StreamingInputCall")).isEqualTo(1);
  }

  @Test
  void twoObjectsForAUnaryMethodAreOneLine() {
    assertThat(call("UnaryCall", "--data", "{} {}")).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("switchboard: call: --data: holds more than one JSON object ("
        + SERVICE + "/UnaryCall is unary: it takes one request)\n");
    assertThat(server.calls(SERVICE + "/UnaryCall")).isZero();
  }

  @Test
  void emptyInputForAUnaryMethodIsOneLine() {
    assertThat(call(CapturedCli.stdin(" \n"), "UnaryCall", "-d", "@-")).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("switchboard: call: stdin: holds no JSON object (expected one"
        + " request of grpc.testing.SimpleRequest)\n");
  }

  @Test
  void missingDataFileIsOneLineNamingIt() {
    assertThat(call("UnaryCall", "--data", "@/nonexistent/requests.json")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("switchboard: call: --data '@/nonexistent/requests.json': cannot be read: ");
  }

  @Test
  void deadlineInTheMiddleOfAStreamEndsItAfterTheResponsesBeforeIt() {
    // One response at once, the next 6 s later, with a 1.5 s deadline (--deadline) for the call.
    long start = System.nanoTime();
    assertThat(call("StreamingOutputCall", "--deadline", "1500ms", "--data",
        "{\"responseParameters\": [{\"size\": 1}, {\"size\": 2, \"intervalUs\": 6000000}]}"))
        .isEqualTo(1);
    assertThat(cli.out()).isEqualTo("{\"payload\":{\"body\":\"AA==\"}}\n");
    // The server knows the deadline too (grpc-timeout) and may reset the stream first: the call
    // reports DEADLINE_EXCEEDED either way.
    assertThat(cli.err().lines()).singleElement().asString().startsWith("switchboard: call: "
        + server.target() + ": " + SERVICE + "/StreamingOutputCall: DEADLINE_EXCEEDED");
    assertThat(System.nanoTime() - start).isLessThan(5_500_000_000L);
  }

  @Test
  void manyCallsDoNotGoWithData() {
    assertThat(call("UnaryCall", "--data", "{}", "-n", "3")).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("switchboard: call: -n does not go with --data (a JSON call is made"
        + " once and prints its responses)\n");
  }
}
