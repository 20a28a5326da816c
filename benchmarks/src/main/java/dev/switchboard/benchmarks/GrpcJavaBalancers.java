package dev.switchboard.benchmarks;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ChannelLogger;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * grpc-java 1.85's own balancers (from {@link LoadBalancerRegistry#getDefaultRegistry()}, as its
 * channel finds them), driven as grpc-java's unit tests drive them: a fake {@link LoadBalancer.Helper}
 * whose subchannels connect nowhere and are told READY by the test. What the benchmark then picks
 * from is the picker the balancer published last, exactly as grpc-java's channel would hold it.
 *
 * <p>Not thread-safe: set up on one thread (the benchmark's setup); the published picker is
 * thread-safe.
 */
final class GrpcJavaBalancers {
  /** What every pick passes; grpc-java's round_robin and pick_first pickers do not read it. */
  static final LoadBalancer.PickSubchannelArgs PICK_ARGS = new LoadBalancer.PickSubchannelArgs() {
    private final Metadata headers = new Metadata();

    @Override
    public CallOptions getCallOptions() {
      return CallOptions.DEFAULT;
    }

    @Override
    public Metadata getHeaders() {
      return headers;
    }

    @Override
    public MethodDescriptor<?, ?> getMethodDescriptor() {
      return GrpcJavaMethods.HEALTH_CHECK;
    }
  };

  private GrpcJavaBalancers() {}

  /**
   * Returns the READY picker of grpc-java's {@code policy} after {@code addresses} were resolved
   * and every subchannel that asked to connect was told READY, one event at a time.
   *
   * @throws IllegalStateException if the policy is unknown, rejects the addresses, or its last
   *     state is not READY
   */
  static LoadBalancer.SubchannelPicker readyPicker(String policy, int addresses) {
    LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider(policy);
    if (provider == null) {
      throw new IllegalStateException("grpc-java has no policy " + policy);
    }
    FakeHelper helper = new FakeHelper();
    LoadBalancer balancer = provider.newLoadBalancer(helper);
    NameResolver.ConfigOrError config = provider.parseLoadBalancingPolicyConfig(Map.of());
    LoadBalancer.ResolvedAddresses resolved = LoadBalancer.ResolvedAddresses.newBuilder()
        .setAddresses(eags(addresses))
        .setLoadBalancingPolicyConfig(config.getConfig())
        .build();
    helper.syncContext.execute(() -> {
      Status status = balancer.acceptResolvedAddresses(resolved);
      if (!status.isOk()) {
        throw new IllegalStateException(policy + " rejected " + addresses + " addresses: " + status);
      }
    });
    // Every subchannel that asked to connect turns READY (round_robin: all; pick_first: the first).
    ConnectivityStateInfo ready = ConnectivityStateInfo.forNonError(ConnectivityState.READY);
    for (FakeSubchannel subchannel : List.copyOf(helper.subchannels)) {
      if (subchannel.connectRequested && subchannel.listener != null) {
        helper.syncContext.execute(() -> subchannel.listener.onSubchannelState(ready));
      }
    }
    if (helper.state != ConnectivityState.READY) {
      throw new IllegalStateException("grpc-java " + policy + " state: " + helper.state + " (expected: READY)");
    }
    return helper.picker;
  }

  /** Returns how many distinct subchannels {@code picks} picks of {@code picker} reach. */
  static int spread(LoadBalancer.SubchannelPicker picker, int picks) {
    Set<LoadBalancer.Subchannel> seen = new HashSet<>();
    for (int i = 0; i < picks; i++) {
      LoadBalancer.Subchannel subchannel = picker.pickSubchannel(PICK_ARGS).getSubchannel();
      if (subchannel != null) {
        seen.add(subchannel);
      }
    }
    return seen.size();
  }

  /** The same addresses as {@link Balancers#addresses}, as grpc-java's address groups. */
  private static List<EquivalentAddressGroup> eags(int n) {
    List<EquivalentAddressGroup> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] ip = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
      try {
        out.add(new EquivalentAddressGroup(new InetSocketAddress(InetAddress.getByAddress(ip), 443)));
      } catch (UnknownHostException e) {
        throw new AssertionError(e); // a 4-byte address is always valid
      }
    }
    return out;
  }

  /** The channel as the balancer sees it: records subchannels and the last published picker. */
  private static final class FakeHelper extends LoadBalancer.Helper {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "grpc-java-fake-helper-timer");
      thread.setDaemon(true);
      return thread;
    });

    final SynchronizationContext syncContext = new SynchronizationContext((thread, e) -> {
      throw new IllegalStateException("uncaught in grpc-java's synchronization context", e);
    });
    final List<FakeSubchannel> subchannels = new ArrayList<>();
    ConnectivityState state;
    LoadBalancer.SubchannelPicker picker;

    @Override
    public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
      FakeSubchannel subchannel = new FakeSubchannel(args);
      subchannels.add(subchannel);
      return subchannel;
    }

    @Override
    public void updateBalancingState(ConnectivityState newState, LoadBalancer.SubchannelPicker newPicker) {
      state = newState;
      picker = newPicker;
    }

    @Override
    public void refreshNameResolution() {}

    @Override
    public SynchronizationContext getSynchronizationContext() {
      return syncContext;
    }

    @Override
    public ScheduledExecutorService getScheduledExecutorService() {
      return TIMER;
    }

    @Override
    public ChannelLogger getChannelLogger() {
      return NoLogger.INSTANCE;
    }

    @Override
    public String getAuthority() {
      return "benchmark.test";
    }

    @Override
    public ManagedChannel createOobChannel(EquivalentAddressGroup eag, String authority) {
      throw new UnsupportedOperationException("no out-of-band channels in this benchmark");
    }
  }

  /** A subchannel that connects nowhere; the benchmark tells its listener READY. */
  private static final class FakeSubchannel extends LoadBalancer.Subchannel {
    private final LoadBalancer.CreateSubchannelArgs args;
    LoadBalancer.SubchannelStateListener listener;
    boolean connectRequested;

    FakeSubchannel(LoadBalancer.CreateSubchannelArgs args) {
      this.args = args;
    }

    @Override
    public void start(LoadBalancer.SubchannelStateListener stateListener) {
      listener = stateListener;
    }

    @Override
    public void requestConnection() {
      connectRequested = true;
    }

    @Override
    public void shutdown() {}

    @Override
    public List<EquivalentAddressGroup> getAllAddresses() {
      return args.getAddresses();
    }

    @Override
    public Attributes getAttributes() {
      return args.getAttributes();
    }

    @Override
    public ChannelLogger getChannelLogger() {
      return NoLogger.INSTANCE;
    }
  }

  private static final class NoLogger extends ChannelLogger {
    static final NoLogger INSTANCE = new NoLogger();

    @Override
    public void log(ChannelLogLevel level, String message) {}

    @Override
    public void log(ChannelLogLevel level, String messageFormat, Object... args) {}
  }
}
