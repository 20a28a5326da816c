package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.TestBackend;
import dev.switchboard.channel.testing.TestMethods;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real channel resolves {@code dns://127.0.0.1:PORT/echo.test:PORT2} through dnsmasq and calls a
 * test backend on 127.0.0.2. With pick_first: round_robin is not on main yet.
 */
class DnsChannelEndToEndTest {

  @Test
  void channelCallsTheBackendThatDnsNames() throws Exception {
    try (TestBackend backend = TestBackend.newBuilder()
            .address(new InetSocketAddress("127.0.0.2", 0)).build().start();
        Dnsmasq dns = Dnsmasq.create().host("echo.test", "127.0.0.2").start()) {
      ManagedChannel channel = ChannelBuilder.forTarget(dns.target("echo.test:" + backend.port()))
          .resolverProvider(new DnsResolverProvider())
          .usePlaintext()
          .build();
      try {
        TestMethods.EchoResponse response = ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO,
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)),
            TestMethods.EchoRequest.of("hello"));
        assertThat(response.message()).isEqualTo("hello");
        assertThat(backend.callsServed()).isEqualTo(1);
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }
}
