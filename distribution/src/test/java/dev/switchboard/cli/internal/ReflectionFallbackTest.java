package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.core.ChannelBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Servers that offer only the older {@code grpc.reflection.v1alpha} (grpc-java's
 * {@code ProtoReflectionService}), or no reflection at all.
 */
class ReflectionFallbackTest {
  private final CapturedCli cli = new CapturedCli();

  @Test
  void callFallsBackToV1AlphaWhenTheServerAnswersV1WithUnimplemented() throws Exception {
    try (ReflectionTestServer server = new ReflectionTestServer(ReflectionTestServer.Reflection.V1ALPHA)) {
      assertThat(cli.run("call", server.target(), "--plaintext", "--method",
          "grpc.testing.TestService/UnaryCall", "--data", "{\"responseSize\": 2}")).as(cli.err()).isZero();
      assertThat(cli.out()).isEqualTo("{\"payload\":{\"body\":\"AAA=\"}}\n");
      assertThat(server.calls(ReflectionSource.V1)).isEqualTo(0); // not registered: not counted
      assertThat(server.calls(ReflectionSource.V1ALPHA)).isEqualTo(1);
    }
  }

  @Test
  void describeFallsBackToV1AlphaAndListsItsServices() throws Exception {
    try (ReflectionTestServer server = new ReflectionTestServer(ReflectionTestServer.Reflection.V1ALPHA)) {
      assertThat(cli.run("describe", server.target(), "--plaintext")).as(cli.err()).isZero();
      assertThat(cli.out()).startsWith("""
          grpc.reflection.v1alpha.ServerReflection (grpc/reflection/v1alpha/reflection.proto)
            rpc ServerReflectionInfo(stream grpc.reflection.v1alpha.ServerReflectionRequest) returns (stream grpc.reflection.v1alpha.ServerReflectionResponse)  bidi streaming

          """).endsWith(DescribeCommandTest.TEST_SERVICE);
    }
  }

  @Test
  void reflectionSourceSaysWhichStreamItUses() throws Exception {
    try (ReflectionTestServer v1 = new ReflectionTestServer(ReflectionTestServer.Reflection.V1);
        ReflectionTestServer v1alpha = new ReflectionTestServer(ReflectionTestServer.Reflection.V1ALPHA)) {
      assertThat(methodUsedFor(v1)).isEqualTo(ReflectionSource.V1);
      assertThat(methodUsedFor(v1alpha)).isEqualTo(ReflectionSource.V1ALPHA);
    }
  }

  private static String methodUsedFor(ReflectionTestServer server) throws Exception {
    ManagedChannel channel = ChannelBuilder.forTarget(server.target()).usePlaintext().build();
    try (ReflectionSource source = new ReflectionSource(channel, server.target(), Duration.ofSeconds(10))) {
      assertThat(source.serviceNames()).contains("grpc.testing.TestService");
      assertThat(source.service("grpc.testing.TestService").getMethods()).hasSize(8);
      return source.method();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void serverWithoutReflectionIsOneLinePointingAtProtoset() throws Exception {
    try (ReflectionTestServer server = new ReflectionTestServer(ReflectionTestServer.Reflection.NONE)) {
      assertThat(cli.run("call", server.target(), "--plaintext", "--method",
          "grpc.testing.TestService/UnaryCall", "--data", "{}")).isEqualTo(1);
      assertThat(cli.err()).isEqualTo("switchboard: call: " + server.target() + " does not offer server"
          + " reflection (grpc.reflection.v1 and v1alpha: UNIMPLEMENTED); name the types with"
          + " --protoset FILE\n");
      assertThat(cli.out()).isEmpty();
      assertThat(server.calls("grpc.testing.TestService/UnaryCall")).isZero();
    }
  }
}
