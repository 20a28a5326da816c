package dev.switchboard.benchmarks.footprint;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark-only policy {@code footprint_subconns}: one subconn per address, kept by position (an
 * update that adds addresses adds subconns), connected only with config {@code {"connect": true}};
 * picks the first READY one. {@link #CREATED} and {@link #READY} count across all its balancers so
 * that {@link Footprint} can wait for them. Thread-safe (the balancers run on their channel's
 * synchronization context).
 */
public final class FootprintBalancerProvider implements BalancerProvider<Boolean> {
  /** Subconns created by every balancer of this policy. */
  static final AtomicInteger CREATED = new AtomicInteger();
  /** Subconns currently READY. */
  static final AtomicInteger READY = new AtomicInteger();

  /** Called by {@link java.util.ServiceLoader}. */
  public FootprintBalancerProvider() {}

  @Override
  public String policyName() {
    return "footprint_subconns";
  }

  @Override
  public ConfigOrError<Boolean> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
    return ConfigOrError.of(Boolean.TRUE.equals(rawConfig.get("connect")));
  }

  @Override
  public Balancer<Boolean> newBalancer(ClientConn clientConn, BalancerArgs args) {
    return new Balancer<>() {
      private final List<SubConn> subConns = new ArrayList<>();
      private SubConn firstReady;

      @Override
      public Status updateClientConnState(ClientConnState<Boolean> state) {
        boolean connect = state.balancerConfig();
        var addresses = state.addresses();
        for (int i = subConns.size(); i < addresses.size(); i++) {
          SubConn[] self = new SubConn[1];
          self[0] = clientConn.newSubConn(List.of(addresses.get(i)), SubConnOptions.of(s -> {
            if (s.state() == ConnectivityState.READY) {
              READY.incrementAndGet();
              if (firstReady == null) {
                firstReady = self[0];
                clientConn.updateState(ConnectivityState.READY, Picker.of(PickResult.withSubConn(self[0])));
              }
            }
          }));
          subConns.add(self[0]);
          CREATED.incrementAndGet();
          if (connect) {
            self[0].connect();
          }
        }
        if (firstReady == null) {
          clientConn.updateState(connect ? ConnectivityState.CONNECTING : ConnectivityState.IDLE,
              Picker.of(PickResult.NO_RESULT));
        }
        return Status.OK;
      }

      @Override
      public void resolverError(Status error) {}

      @Override
      public void close() {
        subConns.forEach(SubConn::shutdown);
        subConns.clear();
      }
    };
  }
}
