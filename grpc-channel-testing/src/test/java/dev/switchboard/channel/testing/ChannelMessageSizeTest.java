package dev.switchboard.channel.testing;

import static dev.switchboard.channel.testing.Channels.closeAndAwait;
import static dev.switchboard.channel.testing.Channels.tenSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import dev.switchboard.channel.testing.backend.TestMethods.HealthStatus;
import dev.switchboard.channel.testing.backend.TestMethods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Limits on received messages, end to end: from the service config and from call options, a
 * response over the limit ends its call RESOURCE_EXHAUSTED and the channel keeps serving.
 */
class ChannelMessageSizeTest {

  /** An echo of {@code message} by backend "b1": two length-delimited fields. */
  private static int responseSize(String message) {
    return 1 + 2 + message.length() + 1 + 1 + "b1".length();
  }

  private final TestBackend backend = TestBackend.newBuilder().name("b1").build().start();
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws InterruptedException {
    closeAndAwait(channel);
    backend.close();
  }

  private void overTheLimitFails(EchoRequest request, dev.switchboard.channel.api.CallOptions options, int limit) {
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, options, request))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.status().code()).as(e.status().toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.status().description()).hasValueSatisfying(d -> assertThat(d)
              .contains(String.valueOf(responseSize(request.message())), String.valueOf(limit)));
        });
  }

  private void channelKeepsServing() {
    assertThat(ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of("small")))
        .isEqualTo(new EchoResponse("small", "b1"));
    assertThat(channel.state(false)).isEqualTo(ConnectivityState.READY);
  }

  @Test
  void serviceConfigLimitEndsTheCallAndTheChannelKeepsServing() {
    channel = Channels.to(backend)
        .defaultServiceConfig("""
            {"methodConfig": [{
              "name": [{"service": "switchboard.testing.Echo", "method": "Echo"}],
              "maxResponseMessageBytes": 1000
            }]}""")
        .build();

    overTheLimitFails(EchoRequest.of("x".repeat(2000)), tenSeconds(), 1000);

    channelKeepsServing();
    // The limit is the Echo method's; other methods keep the channel's 4 MiB.
    assertThat(ClientCalls.blockingUnaryCall(channel, TestMethods.HEALTH_CHECK, tenSeconds(), ""))
        .isEqualTo(HealthStatus.SERVING);
    overTheLimitFails(EchoRequest.of("y".repeat(1001)), tenSeconds(), 1000);
    channelKeepsServing();
  }

  @Test
  void callOptionsLimitEndsTheCallAndOverridesTheServiceConfig() {
    channel = Channels.to(backend)
        .defaultServiceConfig("""
            {"methodConfig": [{
              "name": [{"service": "switchboard.testing.Echo"}],
              "maxResponseMessageBytes": 100000
            }]}""")
        .build();

    overTheLimitFails(EchoRequest.of("x".repeat(500)), tenSeconds().withMaxInboundMessageSize(200), 200);
    channelKeepsServing();

    String big = "z".repeat(50_000);
    assertThat(ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO, tenSeconds(), EchoRequest.of(big)))
        .isEqualTo(new EchoResponse(big, "b1"));
  }

  @Test
  void channelDefaultLimitAppliesWithoutConfig() {
    channel = Channels.to(backend).maxInboundMessageSize(4096).build();

    overTheLimitFails(EchoRequest.of("x".repeat(5000)), tenSeconds(), 4096);
    channelKeepsServing();
  }
}
