package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.ForwardingClientConn;
import dev.switchboard.channel.api.balancer.ForwardingSubConn;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.core.PluginRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Tells when a change of a real channel's address set reaches its {@code round_robin}, and when
 * round_robin publishes a READY picker over exactly the new set: a benchmark-only policy,
 * {@value #POLICY}, that runs the registry's round_robin unchanged behind a thin layer.
 *
 * <p>The layer, all on the channel's synchronization context:
 * <ul>
 *   <li>around the balancer: reads {@link System#nanoTime()} when an update enters
 *       {@code updateClientConnState}, before round_robin sees it; if the update is the one
 *       {@link #expect expected} (its size, and the changed address in it or not), that time
 *       completes {@link Expectation#seen()};
 *   <li>around the channel's conn: keeps the set of subconns that are READY (a READY notification
 *       adds one; any other state, or round_robin's {@code shutdown()} of it, removes it); when
 *       round_robin publishes a READY picker while exactly {@code size} subconns are READY, after
 *       the expected update was seen, the time after the channel took the picker completes
 *       {@link Expectation#picked()}.
 * </ul>
 *
 * <p>For an instance that joins the set (a registration, a check passing again), the picker that
 * completes is the one round_robin publishes once the new subconn is READY (the one it publishes
 * with the update itself covers only the old set); for one that leaves it (an unregistration, a
 * check turned critical), the one it publishes with the update, the removed subconn shut down.
 *
 * <p>One watch serves one channel: hand {@link #provider()} to its builder and select the policy.
 *
 * <p>Thread-safe: the bookkeeping runs serially on the channel's synchronization context;
 * {@link #expect} may be called from any thread, one expectation at a time.
 */
public final class ChangeWatch {
  /** The policy name under which {@link #provider()} runs round_robin. */
  public static final String POLICY = "change_watched_round_robin";

  private static final PluginRegistry REGISTRY = PluginRegistry.loadDefault();

  /** One expected change and when it was seen. Thread-safe. */
  public static final class Expectation {
    private final int size;
    private final Address address;
    private final boolean present;
    private final CompletableFuture<Long> seen = new CompletableFuture<>();
    private final CompletableFuture<Long> picked = new CompletableFuture<>();

    private Expectation(int size, Address address, boolean present) {
      this.size = size;
      this.address = address;
      this.present = present;
    }

    /** Completes with the {@code nanoTime} at which the expected update reached round_robin. */
    public CompletableFuture<Long> seen() {
      return seen;
    }

    /** Completes with the {@code nanoTime} after the channel took a READY picker over the new set. */
    public CompletableFuture<Long> picked() {
      return picked;
    }
  }

  private volatile Expectation expectation;
  private final Set<SubConn> ready = new HashSet<>(); // only on the synchronization context
  private volatile int readyCount;

  /**
   * Expects the next update to hold {@code size} addresses, {@code address} among them if
   * {@code present}, else not; replaces any earlier expectation.
   */
  public Expectation expect(int size, Address address, boolean present) {
    Expectation e = new Expectation(size, address, present);
    expectation = e;
    return e;
  }

  /** Returns how many subconns were READY at the last state change. */
  public int readyCount() {
    return readyCount;
  }

  /** Returns a provider of {@value #POLICY}: the registry's round_robin behind this watch. */
  public BalancerProvider<?> provider() {
    return wrap(REGISTRY.balancerProvider("round_robin")
        .orElseThrow(() -> new IllegalStateException("no round_robin on the class path")));
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
        Balancer<C> inner = roundRobin.newBalancer(new WatchingConn(clientConn), args);
        return new Balancer<>() {
          @Override
          public Status updateClientConnState(ClientConnState<C> state) {
            long now = System.nanoTime();
            Expectation e = expectation;
            if (e != null && !e.seen.isDone()) {
              List<Address> addresses = state.addresses();
              if (addresses.size() == e.size && addresses.contains(e.address) == e.present) {
                e.seen.complete(now);
              }
            }
            return inner.updateClientConnState(state);
          }

          @Override
          public void resolverError(Status error) {
            inner.resolverError(error);
          }

          @Override
          public void exitIdle() {
            inner.exitIdle();
          }

          @Override
          public void close() {
            inner.close();
          }
        };
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
      var inner = options.stateListener();
      SubConn[] self = new SubConn[1];
      SubConn created = delegate.newSubConn(addresses, SubConnOptions.newBuilder()
          .attributes(options.attributes())
          .stateListener(state -> {
            if (state.state() == ConnectivityState.READY) {
              ready.add(self[0]);
            } else {
              ready.remove(self[0]);
            }
            readyCount = ready.size();
            inner.onSubConnState(state);
          })
          .build());
      self[0] = new ForwardingSubConn() {
        @Override
        protected SubConn delegate() {
          return created;
        }

        @Override
        public void shutdown() {
          ready.remove(this);
          readyCount = ready.size();
          super.shutdown();
        }
      };
      return self[0];
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
      delegate.updateState(state, picker);
      Expectation e = expectation;
      if (e != null && state == ConnectivityState.READY && ready.size() == e.size && e.seen.isDone()
          && !e.picked.isDone()) {
        e.picked.complete(System.nanoTime());
      }
    }
  }
}
