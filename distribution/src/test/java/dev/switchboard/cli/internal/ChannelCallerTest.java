package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ChannelCaller} against a real {@link TestBackend} on loopback, and against none. */
class ChannelCallerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private static ManagedChannel channel(int port) {
    return ChannelBuilder.forTarget("127.0.0.1:" + port).usePlaintext().build();
  }

  @Test
  void healthCheckIsAttributedToTheBackendsAddress() throws Exception {
    try (TestBackend backend = TestBackend.newBuilder().name("b1").build().start()) {
      try (ManagedChannel channel = channel(backend.port())) {
        Caller.Outcome outcome = new ChannelCaller<>(channel, TestMethods.HEALTH_CHECK, "",
            ChannelCaller.byAddress(), CallOptions.DEFAULT, DEADLINE).call();
        assertThat(outcome.code()).isEqualTo(Status.Code.OK);
        assertThat(outcome.backend()).isEqualTo("127.0.0.1:" + backend.port());
      }
    }
  }

  @Test
  void failedCallThatReachedABackendIsAttributedToIt() throws Exception {
    MethodDescriptor<String, TestMethods.HealthStatus> missing = TestMethods.HEALTH_CHECK.toBuilder()
        .fullMethodName("no.Such/Method").build();
    try (TestBackend backend = TestBackend.newBuilder().name("b1").build().start()) {
      try (ManagedChannel channel = channel(backend.port())) {
        ChannelCaller<String, TestMethods.HealthStatus> caller = new ChannelCaller<>(channel, missing, "",
            ChannelCaller.byAddress(), CallOptions.DEFAULT, DEADLINE);
        Caller.Outcome outcome = caller.call();
        assertThat(outcome.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(outcome.backend()).isEqualTo("127.0.0.1:" + backend.port());
        assertThat(caller.firstFailure()).hasValueSatisfying(
            s -> assertThat(s.code()).isEqualTo(Status.Code.UNIMPLEMENTED));
      }
    }
  }

  @Test
  void callThatReachedNoBackendIsCountedUnderNoBackend() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (ManagedChannel channel = channel(port)) {
      Caller.Outcome outcome = new ChannelCaller<>(channel, TestMethods.HEALTH_CHECK, "",
          ChannelCaller.byAddress(), CallOptions.DEFAULT, DEADLINE).call();
      assertThat(outcome.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(outcome.backend()).isEqualTo(CallStats.NO_BACKEND);
    }
  }

  @Test
  void addressLabelIsHostColonPortWithIpv6InBrackets() {
    assertThat(ChannelCaller.addressLabel(new InetSocketAddress("127.0.0.1", 50051)))
        .isEqualTo("127.0.0.1:50051");
    assertThat(ChannelCaller.addressLabel(new InetSocketAddress("::1", 50052)))
        .isEqualTo("[0:0:0:0:0:0:0:1]:50052");
    assertThat(ChannelCaller.addressLabel(null)).isEqualTo(CallStats.NO_BACKEND);
  }
}
