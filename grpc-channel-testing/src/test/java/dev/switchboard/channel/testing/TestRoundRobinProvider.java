package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small well-behaved round-robin policy for testing the balancer contract test itself: one subconn
 * per address, all connected at once. {@link Flaw} breaks one rule, to show the contract catches it.
 */
final class TestRoundRobinProvider implements BalancerProvider<Map<String, ?>> {

  enum Flaw { NONE, IGNORES_RESOLVER_ERROR, LEAKS_SUBCONNS_ON_CLOSE, PUBLISHES_OFF_CONTEXT, THROWS_ON_EMPTY }

  private final Flaw flaw;

  TestRoundRobinProvider(Flaw flaw) {
    this.flaw = flaw;
  }

  @Override
  public String policyName() {
    return "test_round_robin";
  }

  @Override
  public ConfigOrError<Map<String, ?>> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
    return ConfigOrError.of(rawConfig);
  }

  @Override
  public Balancer<Map<String, ?>> newBalancer(ClientConn conn, BalancerArgs args) {
    return new RoundRobin(conn);
  }

  private final class RoundRobin implements Balancer<Map<String, ?>> {
    private final ClientConn conn;
    private final Map<SubConn, ConnectivityState> subConns = new LinkedHashMap<>();

    RoundRobin(ClientConn conn) {
      this.conn = conn;
    }

    @Override
    public Status updateClientConnState(ClientConnState<Map<String, ?>> state) {
      if (state.addresses().isEmpty()) {
        if (flaw == Flaw.THROWS_ON_EMPTY) {
          throw new IllegalArgumentException("no addresses");
        }
        Status error = Status.UNAVAILABLE.withDescription("no addresses");
        conn.updateState(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
        return error;
      }
      for (SubConn sc : subConns.keySet()) {
        sc.shutdown();
      }
      subConns.clear();
      for (var address : state.addresses()) {
        SubConn[] self = new SubConn[1];
        self[0] = conn.newSubConn(List.of(address), SubConnOptions.of(s -> onState(self[0], s)));
        subConns.put(self[0], ConnectivityState.IDLE);
        self[0].connect();
      }
      publish();
      return Status.OK;
    }

    private void onState(SubConn sc, SubConnState state) {
      if (subConns.containsKey(sc)) {
        subConns.put(sc, state.state());
        publish();
      }
    }

    private void publish() {
      List<PickResult> ready = new ArrayList<>();
      subConns.forEach((sc, s) -> {
        if (s == ConnectivityState.READY) {
          ready.add(PickResult.withSubConn(sc));
        }
      });
      if (ready.isEmpty()) {
        conn.updateState(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
        return;
      }
      AtomicInteger next = new AtomicInteger();
      Picker picker = info -> ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
      if (flaw == Flaw.PUBLISHES_OFF_CONTEXT) {
        Thread t = new Thread(() -> conn.updateState(ConnectivityState.READY, picker));
        t.start();
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        conn.updateState(ConnectivityState.READY, picker);
      }
    }

    @Override
    public void resolverError(Status error) {
      if (flaw != Flaw.IGNORES_RESOLVER_ERROR && subConns.isEmpty()) {
        conn.updateState(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
      }
    }

    @Override
    public void close() {
      if (flaw != Flaw.LEAKS_SUBCONNS_ON_CLOSE) {
        subConns.keySet().forEach(SubConn::shutdown);
      }
      subConns.clear();
    }
  }
}
