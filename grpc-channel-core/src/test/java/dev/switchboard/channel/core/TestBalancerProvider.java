package dev.switchboard.channel.core;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.Picker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A balancer the test drives: it records what it gets, answers updates through a hook, and the
 * test publishes pickers through its {@link ClientConn} (on the synchronization context).
 */
final class TestBalancerProvider implements BalancerProvider<Map<String, ?>> {
  private final String policy;
  final List<TestBalancer> balancers = new CopyOnWriteArrayList<>();
  volatile BiFunction<TestBalancer, ClientConnState<Map<String, ?>>, Status> onUpdate = (b, s) -> Status.OK;

  TestBalancerProvider(String policy) {
    this.policy = policy;
  }

  @Override
  public String policyName() {
    return policy;
  }

  @Override
  public ConfigOrError<Map<String, ?>> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
    return ConfigOrError.of(rawConfig);
  }

  @Override
  public Balancer<Map<String, ?>> newBalancer(ClientConn clientConn, BalancerArgs args) {
    TestBalancer balancer = new TestBalancer(clientConn);
    balancers.add(balancer);
    return balancer;
  }

  TestBalancer awaitBalancer(int index) {
    Await.until(policy + " balancer #" + index, () -> balancers.size() > index);
    return balancers.get(index);
  }

  final class TestBalancer implements Balancer<Map<String, ?>> {
    final ClientConn conn;
    final List<ClientConnState<Map<String, ?>>> updates = new CopyOnWriteArrayList<>();
    final List<Status> errors = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    TestBalancer(ClientConn conn) {
      this.conn = conn;
    }

    @Override
    public Status updateClientConnState(ClientConnState<Map<String, ?>> state) {
      updates.add(state);
      return onUpdate.apply(this, state);
    }

    @Override
    public void resolverError(Status error) {
      errors.add(error);
    }

    @Override
    public void close() {
      closed = true;
    }

    /** Publishes a state and picker from the synchronization context. */
    void publish(ConnectivityState state, Picker picker) {
      conn.synchronizationContext().execute(() -> conn.updateState(state, picker));
    }
  }
}
