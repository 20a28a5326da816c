package com.example.balancer.leastrequest.internal;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code least_request} balancer: one subconn per endpoint, all connected eagerly; a pick
 * compares {@code choiceCount} READY ones chosen at random (with repetition, as gRFC A48) and takes
 * the one with the fewest calls in flight. With at least as many choices as READY backends, a pick
 * compares them all, in order: random choices would only miss some.
 *
 * <h2>Per-pick bookkeeping</h2>
 *
 * <p>A backend's count goes up in the pick that returns it, and down in that pick's {@link
 * PickListener#onDone}. The channel calls {@code onDone} exactly once for every pick that returned
 * a subconn, also when it does not use the pick (the subconn stopped being READY, the call was
 * cancelled), so the counts come back to zero when the calls end, whatever happened to them. A
 * count lives with its endpoint, not with a picker: a new picker keeps the counts.
 *
 * <p>States as round_robin's: READY if any subconn is; CONNECTING while any connects; otherwise
 * TRANSIENT_FAILURE with the last connection error. A subconn that falls back to IDLE is connected
 * again.
 *
 * <p>Not thread-safe: called on the channel's synchronization context. Its pickers and pick
 * listeners are thread-safe.
 */
final class LeastRequestBalancer implements Balancer<LeastRequestConfig> {

  private final ClientConn clientConn;
  private Map<Endpoint, Backend> backends = new LinkedHashMap<>();
  private int choiceCount = LeastRequestConfig.DEFAULT.choiceCount();
  private Status lastError = Status.UNAVAILABLE.withDescription("least_request: no connection yet");
  private boolean closed;

  LeastRequestBalancer(ClientConn clientConn) {
    this.clientConn = clientConn;
  }

  @Override
  public Status updateClientConnState(ClientConnState<LeastRequestConfig> state) {
    choiceCount = state.balancerConfig().choiceCount();
    if (state.endpoints().isEmpty()) {
      Status error = Status.UNAVAILABLE.withDescription(
          "least_request: the resolver of " + clientConn.target() + " returned no endpoints");
      backends.values().forEach(b -> b.subConn.shutdown());
      backends = new LinkedHashMap<>();
      clientConn.updateState(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
      return error;
    }
    Map<Endpoint, Backend> next = new LinkedHashMap<>();
    for (Endpoint endpoint : state.endpoints()) {
      Backend backend = backends.remove(endpoint);
      if (backend == null) {
        backend = new Backend(endpoint);
        backend.subConn.connect();
      }
      next.putIfAbsent(endpoint, backend);
    }
    backends.values().forEach(b -> b.subConn.shutdown());
    backends = next;
    publish();
    return Status.OK;
  }

  @Override
  public void resolverError(Status error) {
    if (backends.values().stream().noneMatch(b -> b.state == ConnectivityState.READY)) {
      clientConn.updateState(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
    }
  }

  @Override
  public void close() {
    closed = true;
    backends.values().forEach(b -> b.subConn.shutdown());
    backends = new LinkedHashMap<>();
  }

  /** Returns the calls in flight per endpoint, for tests and diagnostics. */
  Map<Endpoint, Integer> inFlight() {
    Map<Endpoint, Integer> counts = new LinkedHashMap<>();
    backends.forEach((endpoint, backend) -> counts.put(endpoint, backend.inFlight.get()));
    return counts;
  }

  private void onState(Backend backend, SubConnState state) {
    if (closed || backends.get(backend.endpoint) != backend) {
      return;
    }
    if (state.state() == ConnectivityState.TRANSIENT_FAILURE) {
      lastError = state.status();
    }
    if (state.state() == ConnectivityState.IDLE) {
      backend.subConn.connect();
      clientConn.resolveNow();
    }
    backend.state = state.state();
    publish();
  }

  private void publish() {
    List<Backend> ready = new ArrayList<>();
    boolean connecting = false;
    for (Backend b : backends.values()) {
      if (b.state == ConnectivityState.READY) {
        ready.add(b);
      }
      connecting |= b.state == ConnectivityState.CONNECTING || b.state == ConnectivityState.IDLE;
    }
    if (!ready.isEmpty()) {
      clientConn.updateState(ConnectivityState.READY, new LeastRequestPicker(ready, choiceCount));
    } else if (connecting) {
      clientConn.updateState(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
    } else {
      clientConn.updateState(ConnectivityState.TRANSIENT_FAILURE,
          Picker.of(PickResult.withError(lastError)));
    }
  }

  /** One endpoint: its subconn, its state, its calls in flight, its pick result. */
  private final class Backend {
    final Endpoint endpoint;
    final SubConn subConn;
    final AtomicInteger inFlight = new AtomicInteger();
    /** Built once: every pick of this backend returns it, and its listener counts each pick's end. */
    final PickResult result;
    ConnectivityState state = ConnectivityState.CONNECTING;

    Backend(Endpoint endpoint) {
      this.endpoint = endpoint;
      this.subConn = clientConn.newSubConn(endpoint.addresses(), SubConnOptions.of(s -> onState(this, s)));
      this.result = PickResult.withSubConn(subConn, new PickListener() {
        @Override
        public void onDone(DoneInfo info) {
          inFlight.decrementAndGet();
        }
      });
    }
  }

  /** Thread-safe: compares a few READY backends at random; allocates nothing per pick. */
  private static final class LeastRequestPicker implements Picker {
    private final Backend[] ready;
    private final int choiceCount;

    LeastRequestPicker(List<Backend> ready, int choiceCount) {
      this.ready = ready.toArray(new Backend[0]);
      this.choiceCount = choiceCount;
    }

    @Override
    public PickResult pick(PickInfo info) {
      boolean all = choiceCount >= ready.length;
      ThreadLocalRandom random = all ? null : ThreadLocalRandom.current();
      int choices = all ? ready.length : choiceCount;
      Backend best = null;
      for (int i = 0; i < choices; i++) {
        Backend candidate = all ? ready[i] : ready[random.nextInt(ready.length)];
        if (best == null || candidate.inFlight.get() < best.inFlight.get()) {
          best = candidate;
        }
      }
      best.inFlight.incrementAndGet();
      return best.result;
    }

    @Override
    public String toString() {
      return "LeastRequestPicker{" + ready.length + " ready, " + choiceCount + " choices}";
    }
  }
}
