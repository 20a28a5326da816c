package dev.switchboard.balancer.roundrobin.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code round_robin} balancer: one subconn per endpoint (gRFC A61: a server with one or more
 * addresses, tried in order), all connected eagerly, calls rotated over the READY ones by a
 * {@link ReadyPicker}.
 *
 * <h2>Aggregate state</h2>
 *
 * <p>READY if any subconn is READY; else CONNECTING (calls wait) if any is connecting; else
 * TRANSIENT_FAILURE, with a picker that fails calls with the last connection error. As in
 * grpc-java, TRANSIENT_FAILURE is sticky per subconn: a subconn that failed counts as failed while
 * it retries (CONNECTING, or IDLE) until it becomes READY, so a channel whose every address is
 * down stays in TRANSIENT_FAILURE instead of flapping to CONNECTING on every retry. The channel
 * retries failed subconns with backoff by itself; a subconn that falls back to IDLE (GOAWAY, lost
 * connection) is connected again here, and re-resolution is requested.
 *
 * <h2>Cost</h2>
 *
 * <p>An address update is O(endpoints): subconns are kept by {@link Endpoint} equality (its
 * addresses: socket address and identifying attributes, not balancer-only ones), removed ones are
 * shut down, new ones created, and one picker is published. An endpoint whose balancer-only
 * attributes changed (a weight) keeps its subconn and connection. A subconn state change is O(1): counters per state give the aggregate, and the READY
 * list is an array that grows by appending, shared with published pickers (see
 * {@link ReadyPicker}); it is copied only when a READY subconn leaves it while a picker holds it.
 * State changes do not publish at once: they schedule one publication on the synchronization
 * context, so a burst of changes queued together is published once.
 *
 * <p>Not thread-safe: called serially on the channel's synchronization context, as are the state
 * listeners of its subconns.
 */
final class RoundRobinBalancer implements Balancer<RoundRobinConfig> {

  private static final System.Logger LOG = System.getLogger(RoundRobinBalancer.class.getName());

  private static final Picker QUEUE_PICKER = Picker.of(PickResult.withNoResult());

  private final ClientConn clientConn;
  private final StripedCounter counter = new StripedCounter();
  private Map<Endpoint, Child> children = new LinkedHashMap<>();

  // The READY subconns: slots [0, readyCount) of both arrays. Published pickers read `ready`
  // (readyShared), so a slot below readyCount is never written while readyShared is true.
  private PickResult[] ready = new PickResult[0];
  private Child[] readyChildren = new Child[0];
  private int readyCount;
  private boolean readyShared;

  // Subconns counted by effective state; READY ones are readyCount.
  private int connectingCount;
  private int failedCount;
  private Status lastError;
  private boolean everReady;

  private ConnectivityState publishedState;
  private boolean readyChanged;
  private boolean errorChanged;
  private boolean publishScheduled;
  private boolean closed;

  RoundRobinBalancer(ClientConn clientConn) {
    this.clientConn = clientConn;
  }

  @Override
  public Status updateClientConnState(ClientConnState<RoundRobinConfig> state) {
    requireNonNull(state, "state");
    List<Endpoint> endpoints = state.endpoints();
    if (endpoints.isEmpty()) {
      Status error = Status.UNAVAILABLE.withDescription(
          "round_robin: the name resolver returned no addresses for target "
              + ErrorText.quote(clientConn.target().original()) + " (expected: at least one)");
      shutDownAll();
      clientConn.updateState(ConnectivityState.TRANSIENT_FAILURE, failingPicker(error));
      publishedState = ConnectivityState.TRANSIENT_FAILURE;
      return error;
    }
    Map<Endpoint, Child> next = new LinkedHashMap<>(capacityFor(endpoints.size()));
    for (Endpoint endpoint : endpoints) {
      if (next.containsKey(endpoint)) {
        continue; // a duplicate gets no second subconn
      }
      Child child = children.remove(endpoint);
      if (child == null) {
        child = new Child(endpoint);
        connectingCount++;
        child.subConn.connect();
      } else {
        child.update(endpoint);
      }
      next.put(endpoint, child);
    }
    for (Child removed : children.values()) {
      remove(removed);
    }
    children = next;
    publish();
    return Status.OK;
  }

  @Override
  public void resolverError(Status error) {
    requireNonNull(error, "error");
    if (!children.isEmpty() && everReady) {
      return; // the subconns we have may still work: keep the current picker
    }
    clientConn.updateState(ConnectivityState.TRANSIENT_FAILURE, failingPicker(error));
    publishedState = ConnectivityState.TRANSIENT_FAILURE;
  }

  @Override
  public void close() {
    closed = true;
    shutDownAll();
  }

  private void onChildState(Child child, SubConnState state) {
    if (closed || child.removed) {
      return;
    }
    ConnectivityState next;
    switch (state.state()) {
      case READY:
        everReady = true;
        next = ConnectivityState.READY;
        break;
      case TRANSIENT_FAILURE:
        lastError = describe(child, state.status());
        errorChanged = true;
        next = ConnectivityState.TRANSIENT_FAILURE;
        break;
      case IDLE:
        // The connection was lost or drained (GOAWAY): round_robin keeps every address connected.
        child.subConn.connect();
        clientConn.resolveNow();
        next = child.state == ConnectivityState.TRANSIENT_FAILURE
            ? ConnectivityState.TRANSIENT_FAILURE : ConnectivityState.CONNECTING;
        break;
      case CONNECTING:
        next = child.state == ConnectivityState.TRANSIENT_FAILURE
            ? ConnectivityState.TRANSIENT_FAILURE : ConnectivityState.CONNECTING;
        break;
      default:
        return; // SHUTDOWN: only for subconns already removed
    }
    setEffectiveState(child, next);
    schedulePublish();
  }

  private void setEffectiveState(Child child, ConnectivityState next) {
    if (child.state == next) {
      return;
    }
    uncount(child);
    child.state = next;
    switch (next) {
      case READY -> addReady(child);
      case CONNECTING -> connectingCount++;
      default -> failedCount++;
    }
  }

  private void uncount(Child child) {
    switch (child.state) {
      case READY -> removeReady(child);
      case CONNECTING -> connectingCount--;
      default -> failedCount--;
    }
  }

  private void addReady(Child child) {
    if (readyCount == ready.length) {
      int capacity = Math.max(4, readyCount * 2);
      ready = Arrays.copyOf(ready, capacity);
      readyChildren = Arrays.copyOf(readyChildren, capacity);
      readyShared = false;
    }
    // Appending is safe on a shared array: every picker reads only below its own size.
    ready[readyCount] = child.result;
    readyChildren[readyCount] = child;
    child.readyIndex = readyCount++;
    readyChanged = true;
  }

  private void removeReady(Child child) {
    if (readyShared) {
      ready = ready.clone();
      readyShared = false;
    }
    int last = --readyCount;
    Child moved = readyChildren[last];
    ready[child.readyIndex] = ready[last];
    readyChildren[child.readyIndex] = moved;
    moved.readyIndex = child.readyIndex;
    ready[last] = null;
    readyChildren[last] = null;
    child.readyIndex = -1;
    readyChanged = true;
  }

  private void remove(Child child) {
    child.removed = true;
    uncount(child);
    child.subConn.shutdown();
  }

  private void shutDownAll() {
    for (Child child : children.values()) {
      remove(child);
    }
    children = new LinkedHashMap<>();
  }

  private void schedulePublish() {
    if (!publishScheduled) {
      publishScheduled = true;
      // Runs after the current task and after any state changes already queued behind it.
      clientConn.synchronizationContext().execute(this::publishIfChanged);
    }
  }

  private void publishIfChanged() {
    publishScheduled = false;
    if (closed || children.isEmpty()) {
      return;
    }
    ConnectivityState state = aggregateState();
    boolean changed = state != publishedState
        || (state == ConnectivityState.READY && readyChanged)
        || (state == ConnectivityState.TRANSIENT_FAILURE && errorChanged);
    if (changed) {
      publish();
    }
  }

  private void publish() {
    ConnectivityState state = aggregateState();
    Picker picker = switch (state) {
      case READY -> {
        readyShared = true;
        yield new ReadyPicker(ready, readyCount, counter);
      }
      case CONNECTING -> QUEUE_PICKER;
      default -> failingPicker(lastError);
    };
    if (state != publishedState) {
      LOG.log(System.Logger.Level.DEBUG, () -> "round_robin for " + clientConn.target() + ": "
          + publishedState + " -> " + state + " (" + readyCount + " ready, " + connectingCount
          + " connecting, " + failedCount + " failed)");
    }
    readyChanged = false;
    errorChanged = false;
    publishedState = state;
    clientConn.updateState(state, picker);
  }

  private ConnectivityState aggregateState() {
    if (readyCount > 0) {
      return ConnectivityState.READY;
    }
    return connectingCount > 0 ? ConnectivityState.CONNECTING : ConnectivityState.TRANSIENT_FAILURE;
  }

  private static Picker failingPicker(Status error) {
    return Picker.of(PickResult.withError(error));
  }

  private static Status describe(Child child, Status error) {
    return error.withDescription("round_robin: connection to " + child.endpoint + " failed: "
        + error.description().orElse(error.code().name()));
  }

  private static int capacityFor(int entries) {
    return (int) Math.min(Integer.MAX_VALUE, entries * 4L / 3 + 1);
  }

  @Override
  public String toString() {
    return "RoundRobinBalancer{" + children.size() + " subconns, " + readyCount + " ready}";
  }

  /** One endpoint and its subconn. */
  private final class Child {
    Endpoint endpoint;
    final SubConn subConn;
    final PickResult result;
    /** The state counted for the aggregate: READY, CONNECTING or (sticky) TRANSIENT_FAILURE. */
    ConnectivityState state = ConnectivityState.CONNECTING;
    int readyIndex = -1;
    boolean removed;

    Child(Endpoint endpoint) {
      this.endpoint = endpoint;
      this.subConn = clientConn.newSubConn(endpoint.addresses(), SubConnOptions.of(this::onState));
      this.result = PickResult.withSubConn(subConn);
    }

    /** Takes the balancer-only attributes of an equal endpoint, if new; the connection stays. */
    void update(Endpoint equal) {
      List<Address> old = endpoint.addresses();
      endpoint = equal;
      for (int i = 0; i < old.size(); i++) {
        if (!old.get(i).balancerAttributes().equals(equal.addresses().get(i).balancerAttributes())) {
          subConn.updateAddresses(equal.addresses());
          return;
        }
      }
    }

    private void onState(SubConnState state) {
      onChildState(this, state);
    }
  }
}
