package dev.switchboard.balancer.grpclb.internal;

import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.backend;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.drop;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.initial;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.serverList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.Dnsmasq;
import dev.switchboard.resolver.dns.DnsResolverOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through DNS: a real dnsmasq serves {@code echo.test} (A: the fallback backend), SRV
 * {@code _grpclb._tcp.echo.test} naming {@code lb.echo.test} (A: the balancer) and a TXT service
 * config choosing grpclb; a channel on {@code dns://127.0.0.1:PORT/echo.test:PORT2} with grpclb
 * discovery turned on through the builder's resolver option; a real balancer and real backends.
 */
class GrpclbDnsEndToEndTest {
  private static final CallOptions WAIT = CallOptions.DEFAULT.withWaitForReady();
  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final String GRPCLB_CONFIG =
      "grpc_config=[{\"serviceConfig\":{\"loadBalancingConfig\":[{\"grpclb\":{\"childPolicy\":[{\"round_robin\":{}}]}}]}}]";

  private final GrpclbFixture f = new GrpclbFixture(3);
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    f.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private Dnsmasq dns() {
    Dnsmasq dns = Dnsmasq.create()
        .host("echo.test", "127.0.0.1")
        .host("lb.echo.test", "127.0.0.1")
        .srv("_grpclb._tcp.echo.test", "lb.echo.test", f.balancer.address().getPort())
        .txt("_grpc_config.echo.test", GRPCLB_CONFIG)
        .start();
    closing.add(dns);
    return dns;
  }

  private void channel(Dnsmasq dns, ChannelBuilder extra) {
    // The target's port is the fallback backend's: DNS gives its address, as for any dns: target.
    f.channel = extra.resolverOption(DnsResolverOptions.ENABLE_GRPCLB, true).usePlaintext().build();
    closing.add(f.channel);
  }

  @Test
  void srvRecordsLeadToTheBalancerWhoseListServesTheCallsWithTokensAndDrops() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO), serverList(
        backend(f.backend(0).address(), "t0"), drop("d"), backend(f.backend(1).address(), "t1")));
    Dnsmasq dns = dns();
    String target = dns.target("echo.test:" + f.backend(2).address().getPort());
    channel(dns, ChannelBuilder.forTarget(target));

    Await.until("calls on the balancer's list", TEN_S, () -> f.call(WAIT).startsWith("b0"));
    f.backends.forEach(GrpcBackend::clear);
    Map<String, Integer> spread = f.spread(30, WAIT);

    assertThat(spread).containsOnlyKeys("b0", "b1", "status:UNAVAILABLE:dropped");
    assertThat(spread.get("status:UNAVAILABLE:dropped")).isBetween(9, 11);
    assertThat(f.backend(0).tokens()).allSatisfy(t -> assertThat(t).containsExactly("t0"));
    assertThat(f.backend(1).tokens()).allSatisfy(t -> assertThat(t).containsExactly("t1"));
    assertThat(f.backend(2).calls()).as("the A record's backend, fallback only").isZero();
    assertThat(f.balancer.authorities()).as("the SRV target's name").allMatch(a -> a.startsWith("lb.echo.test"));
    assertThat(f.balancer.names()).containsOnly("echo.test:" + f.backend(2).address().getPort());
  }

  @Test
  void withoutAServerListCallsFallBackToTheARecordsAfterTheFallbackTimeout() throws Exception {
    f.balancer.onConnect(initial(Duration.ZERO)); // answers, lists nothing
    Dnsmasq dns = dns();
    String target = dns.target("echo.test:" + f.backend(2).address().getPort());
    channel(dns, ChannelBuilder.forTarget(target).scheduler(f.clock));
    var waiting = f.start(WAIT);
    // The stream opens with the first resolution, which also starts the fallback timer.
    Await.until("the balancer stream open", TEN_S, () -> f.balancer.openStreams() == 1);
    f.clock.forwardTime(Duration.ofMillis(9_999));
    assertThat(waiting).isNotDone();

    f.clock.forwardTime(Duration.ofMillis(1));

    assertThat(GrpclbFixture.outcome(waiting)).isEqualTo("b2");
    assertThat(f.backend(2).tokens()).allSatisfy(t -> assertThat(t).isEmpty());
  }
}
