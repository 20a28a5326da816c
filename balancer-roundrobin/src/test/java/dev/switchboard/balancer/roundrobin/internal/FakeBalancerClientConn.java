package dev.switchboard.balancer.roundrobin.internal;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Target;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A stand-in for the testing kit's fake balancer ClientConn, with the same method names, until the
 * kit lands on main; then this file goes. Not thread-safe beyond what the tests need.
 */
final class FakeBalancerClientConn implements ClientConn {

  record Update(ConnectivityState state, Picker picker) {}

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  };

  private static final MethodDescriptor<byte[], byte[]> METHOD =
      MethodDescriptor.newBuilder(BYTES, BYTES).fullMethodName("test.Fake/Pick").build();

  private final List<String> violations = new ArrayList<>();
  private final SynchronizationContext syncContext =
      new SynchronizationContext((t, e) -> violations.add("task threw " + e));
  private final List<FakeSubConn> subConns = new ArrayList<>();
  private final List<Update> updates = new ArrayList<>();
  private int resolveNowCount;

  static FakeBalancerClientConn create() {
    return new FakeBalancerClientConn();
  }

  void runInContext(Runnable task) {
    syncContext.execute(task);
  }

  void checkInContext(String what) {
    if (!syncContext.isCurrentThread()) {
      violations.add(what + " outside the synchronization context");
    }
  }

  @Override
  public SubConn newSubConn(List<Address> addresses, SubConnOptions options) {
    checkInContext("newSubConn");
    FakeSubConn subConn = new FakeSubConn(this, addresses, options);
    subConns.add(subConn);
    return subConn;
  }

  @Override
  public void updateState(ConnectivityState state, Picker picker) {
    checkInContext("updateState");
    updates.add(new Update(state, picker));
  }

  @Override
  public void resolveNow() {
    checkInContext("resolveNow");
    resolveNowCount++;
  }

  @Override
  public Target target() {
    return new Target("fake", "", "test", "fake:///test");
  }

  @Override
  public String authority() {
    return "test";
  }

  @Override
  public SynchronizationContext synchronizationContext() {
    return syncContext;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    throw new UnsupportedOperationException("round_robin schedules nothing");
  }

  @Override
  public ManagedChannel createOobChannel(List<Address> addresses, String authority) {
    throw new UnsupportedOperationException("round_robin opens no channel");
  }

  @Override
  public ManagedChannel createResolvingOobChannel(String target) {
    throw new UnsupportedOperationException("round_robin opens no channel");
  }

  List<FakeSubConn> subConns() {
    return List.copyOf(subConns);
  }

  List<FakeSubConn> liveSubConns() {
    return subConns.stream().filter(sc -> !sc.isShutdown()).toList();
  }

  List<Update> updates() {
    return List.copyOf(updates);
  }

  Optional<Update> lastUpdate() {
    return updates.isEmpty() ? Optional.empty() : Optional.of(updates.get(updates.size() - 1));
  }

  Picker lastPicker() {
    return lastUpdate().orElseThrow(() -> new AssertionError("no picker published")).picker();
  }

  int resolveNowCount() {
    return resolveNowCount;
  }

  void assertNoViolations() {
    if (!violations.isEmpty()) {
      throw new AssertionError("violations: " + violations);
    }
  }

  static PickResult pick(Picker picker) {
    return picker.pick(PickInfo.of(METHOD, CallOptions.DEFAULT, new Metadata()));
  }

  static Map<SubConn, Integer> pickSpread(Picker picker, int n) {
    Map<SubConn, Integer> spread = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      PickResult r = pick(picker);
      spread.merge(r instanceof PickResult.Complete c ? c.subConn() : null, 1, Integer::sum);
    }
    return spread;
  }
}
