package dev.switchboard.balancer.grpclb.internal;

import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.backend;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.initial;
import static dev.switchboard.balancer.grpclb.internal.FakeBalancer.serverList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.BalancerProviderContractTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * grpclb meets the kit's balancer contract, with a real balancer: the resolver attributes name a
 * {@link FakeBalancer} reached through the fake conn's out-of-band channel, and that balancer lists
 * the contract's three addresses, each with a token.
 */
class GrpclbProviderContractTest extends BalancerProviderContractTest<GrpclbConfig> {
  private final FakeBalancer balancer = FakeBalancer.start();

  GrpclbProviderContractTest() {
    List<Address> three = threeAddresses();
    io.grpc.lb.v1.Server[] servers = new io.grpc.lb.v1.Server[three.size()];
    for (int i = 0; i < servers.length; i++) {
      servers[i] = backend((InetSocketAddress) three.get(i).socketAddress(), "token-" + i);
    }
    balancer.onConnect(initial(Duration.ZERO), serverList(servers));
  }

  @AfterEach
  void stopBalancer() {
    balancer.close();
  }

  @Override
  protected BalancerProvider<GrpclbConfig> provider() {
    return new GrpclbBalancerProvider();
  }

  @Override
  protected Attributes resolverAttributes() {
    Address lb = Address.newBuilder(balancer.address())
        .attributes(Attributes.newBuilder().set(Address.AUTHORITY_OVERRIDE, "lb.test").build())
        .build();
    return Attributes.newBuilder().set(ResolverState.GRPCLB_BALANCER_ADDRESSES, List.of(lb)).build();
  }

  @Override
  protected void afterUpdate() {
    try {
      // round_robin creates and connects one subconn per listed server, on the stream's thread.
      Await.until("connecting subconns for the balancer's list", Duration.ofSeconds(10),
          () -> conn().subConns().size() >= 3
              && conn().subConns().stream().allMatch(sc -> sc.connectCount() > 0 || sc.isShutdown()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void balancerChannelIsOutOfBandWithTheBalancerAuthorityAndClosedWithTheBalancer() {
    conn().runInContext(() -> balancer().updateClientConnState(
        dev.switchboard.channel.api.balancer.ClientConnState.newBuilder(balancerConfig())
            .attributes(resolverAttributes()).build()));
    afterUpdate();

    assertThat(conn().oobChannels()).hasSize(1);
    ManagedChannel oob = conn().oobChannels().get(0);
    assertThat(oob.authority()).isEqualTo("lb.test");
    assertThat(balancer.names()).containsExactly(conn().authority());
    conn().runInContext(() -> balancer().close());
    assertThat(oob.isShutdown()).isTrue();
  }
}
