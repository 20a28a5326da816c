package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import dev.switchboard.channel.testing.FakeSubConn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the benchmarks share: providers found as the channel finds them, addresses, a READY balancer. */
final class Balancers {
  private static final PluginRegistry REGISTRY = PluginRegistry.loadDefault();

  private Balancers() {}

  /** Returns the providers found on the class path, as {@code PluginRegistry.loadDefault()} finds them. */
  static PluginRegistry registry() {
    return REGISTRY;
  }

  static BalancerProvider<?> provider(String policy) {
    return REGISTRY.balancerProvider(policy)
        .orElseThrow(() -> new IllegalStateException(
            "policy: " + policy + " (expected one of " + REGISTRY.policies() + ")"));
  }

  /** A balancer and the config its provider parsed from {@code {}}, as a channel would give it. */
  static final class Running<C> {
    final Balancer<C> balancer;
    private final C config;

    private Running(Balancer<C> balancer, C config) {
      this.balancer = balancer;
      this.config = config;
    }

    /** Gives {@code addresses} to the balancer on the conn's synchronization context. */
    void update(FakeBalancerClientConn conn, List<Address> addresses) {
      update(conn, addresses, Attributes.EMPTY);
    }

    /** Gives {@code addresses} and the resolver's {@code attributes} (grpclb's balancers) to the balancer. */
    void update(FakeBalancerClientConn conn, List<Address> addresses, Attributes attributes) {
      ClientConnState<C> state = ClientConnState.newBuilder(config).addresses(addresses).attributes(attributes).build();
      conn.runInContext(() -> balancer.updateClientConnState(state));
    }

    void close(FakeBalancerClientConn conn) {
      conn.runInContext(balancer::close);
    }
  }

  /** Returns {@code n} distinct loopback-range addresses (10.x.y.z:443); no socket is opened. */
  static List<Address> addresses(int n) {
    List<Address> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] ip = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
      try {
        out.add(Address.of(new InetSocketAddress(InetAddress.getByAddress(ip), 443)));
      } catch (UnknownHostException e) {
        throw new AssertionError(e); // a 4-byte address is always valid
      }
    }
    return out;
  }

  /**
   * Delivers READY to every live subconn, one task each, as a channel delivers one transport event
   * at a time.
   */
  static void allReady(FakeBalancerClientConn conn) {
    SubConnState ready = SubConnState.of(ConnectivityState.READY);
    for (FakeSubConn sc : conn.liveSubConns()) {
      sc.deliverState(ready);
    }
  }

  /**
   * Returns the READY picker last published.
   *
   * @throws IllegalStateException if the balancer's last state is not READY
   */
  static Picker readyPicker(FakeBalancerClientConn conn) {
    FakeBalancerClientConn.Update last = conn.lastUpdate()
        .orElseThrow(() -> new IllegalStateException("the balancer published nothing"));
    if (last.state() != ConnectivityState.READY) {
      throw new IllegalStateException("last state: " + last.state() + " (expected: READY)");
    }
    return last.picker();
  }

  static Running<?> newBalancer(String policy, FakeBalancerClientConn conn) {
    return running(provider(policy), conn);
  }

  private static <C> Running<C> running(BalancerProvider<C> provider, FakeBalancerClientConn conn) {
    C config = provider.parseConfig(Map.of(), REGISTRY).config()
        .orElseThrow(() -> new IllegalStateException(provider.policyName() + " takes no config {}"));
    return new Running<>(provider.newBalancer(conn, BalancerArgs.defaults()), config);
  }
}
