package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ForwardingClientConn;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnStateListener;
import dev.switchboard.channel.api.resolver.Address;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Tells when a real channel's balancer has published a READY picker over all of {@code expected}
 * subconns: a benchmark-only policy, {@value #POLICY}, that runs the registry's {@code round_robin}
 * unchanged, with the channel's {@link ClientConn} seen through a thin forwarding layer. The layer
 * counts the READY notifications that reach the balancer's subconn listeners; the first READY
 * picker the balancer publishes once all {@code expected} are READY completes {@link #allReady()}.
 * The counting is one increment per notification and one comparison per published picker, on the
 * channel's synchronization context.
 *
 * <p>One watch serves one channel: hand {@link #provider()} to its builder and select the policy.
 * Public for the benchmarks' other packages ({@code zookeeper}).
 *
 * <p>Thread-safe: the counting runs serially on the channel's synchronization context; the future
 * may be read from any thread.
 */
public final class ReadyWatch {
  /** The policy name under which {@link #provider()} runs round_robin. */
  public static final String POLICY = "watched_round_robin";

  private final int expected;
  private final CompletableFuture<Picker> allReady = new CompletableFuture<>();
  private int ready; // only on the synchronization context

  public ReadyWatch(int expected) {
    this.expected = expected;
  }

  /** Completes with the first READY picker published once all {@code expected} subconns are READY. */
  public CompletableFuture<Picker> allReady() {
    return allReady;
  }

  /** Returns a provider of {@value #POLICY}: the registry's round_robin behind this watch. */
  public BalancerProvider<?> provider() {
    return wrap(Balancers.provider("round_robin"));
  }

  private <C> BalancerProvider<C> wrap(BalancerProvider<C> roundRobin) {
    return new BalancerProvider<>() {
      @Override
      public String policyName() {
        return POLICY;
      }

      @Override
      public ConfigOrError<C> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
        return roundRobin.parseConfig(rawConfig, registry);
      }

      @Override
      public Balancer<C> newBalancer(ClientConn clientConn, BalancerArgs args) {
        return roundRobin.newBalancer(new WatchingConn(clientConn), args);
      }
    };
  }

  private final class WatchingConn extends ForwardingClientConn {
    private final ClientConn delegate;

    WatchingConn(ClientConn delegate) {
      this.delegate = delegate;
    }

    @Override
    protected ClientConn delegate() {
      return delegate;
    }

    @Override
    public SubConn newSubConn(List<Address> addresses, SubConnOptions options) {
      SubConnStateListener inner = options.stateListener();
      return delegate.newSubConn(addresses, SubConnOptions.newBuilder()
          .attributes(options.attributes())
          .stateListener(state -> {
            if (state.state() == ConnectivityState.READY) {
              ready++;
            }
            inner.onSubConnState(state);
          })
          .build());
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
      delegate.updateState(state, picker);
      if (state == ConnectivityState.READY && ready == expected) {
        allReady.complete(picker);
      }
    }
  }
}
