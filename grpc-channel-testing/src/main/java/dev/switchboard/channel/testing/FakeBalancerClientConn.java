package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.PluginRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ClientConn} for balancer tests: it owns a {@link SynchronizationContext} and a
 * {@link ManualClock} (or a scheduler the test gives), creates {@link FakeSubConn}s that connect
 * nowhere, and records what the balancer does: subconns created, {@linkplain Update (state, picker)
 * pairs} published, {@code resolveNow} calls.
 *
 * <p>It checks the threading contract: a balancer call into this conn or into one of its subconns
 * from outside the synchronization context, an empty address list given to {@link #newSubConn},
 * and an exception thrown by a balancer task run on the context are each recorded as a violation;
 * {@link #assertNoViolations()} fails the test with the list. Drive the balancer through
 * {@link #runInContext} so that its methods run on the context, as the channel would.
 *
 * <p>Out-of-band channels are real channels, in plain text (as test backends serve): {@link
 * #createOobChannel} dials the addresses given, {@link #createResolvingOobChannel} the target, with
 * the plugins of the {@linkplain Builder#balancerRegistry registry} and the boot layer; {@link
 * #oobChannels()} lists them, so that a test can check that the balancer shut them down. {@link
 * #balancerRegistry()} is what a parent policy finds its children in.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class FakeBalancerClientConn implements ClientConn {

  /**
   * A state and picker published with {@link ClientConn#updateState}. Immutable.
   *
   * @param state the aggregate state
   * @param picker the picker
   * @since 0.1
   */
  public record Update(ConnectivityState state, Picker picker) {}

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** The method of the calls that {@link #pick(Picker)} picks for. */
  public static final MethodDescriptor<byte[], byte[]> TEST_METHOD =
      MethodDescriptor.newBuilder(BYTES, BYTES)
          .fullMethodName("switchboard.testing.Fake/Pick")
          .build();

  private final Object lock = new Object();
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService scheduler;
  private final Optional<ManualClock> clock;
  private final Target target;
  private final String authority;
  private final List<FakeSubConn> subConns = new ArrayList<>();
  private final List<Update> updates = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<Throwable> thrown = new ArrayList<>();
  private final AtomicInteger resolveNowCount = new AtomicInteger();
  private final List<ManagedChannel> oobChannels = new ArrayList<>();
  private final BalancerRegistry balancerRegistry;

  private FakeBalancerClientConn(Builder b) {
    this.syncContext = new SynchronizationContext(
        (thread, e) -> {
          synchronized (lock) {
            thrown.add(e);
          }
          recordViolation("a task on the synchronization context threw " + e);
        });
    this.clock = b.scheduler == null ? Optional.of(ManualClock.create()) : Optional.empty();
    this.scheduler = b.scheduler == null ? clock.get() : b.scheduler;
    this.target = b.target;
    this.authority = b.authority;
    this.balancerRegistry = b.balancerRegistry != null ? b.balancerRegistry : PluginRegistry.loadDefault();
  }

  /** Returns a conn with a {@link ManualClock} as its scheduler and target {@code fake:///test}. */
  public static FakeBalancerClientConn create() {
    return newBuilder().build();
  }

  /** Returns a builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Runs {@code task} on the synchronization context and returns when it has run (unless another
   * thread is draining the context, in which case that thread runs it).
   */
  public void runInContext(Runnable task) {
    syncContext.execute(requireNonNull(task, "task"));
  }

  void checkInContext(String what) {
    if (!syncContext.isCurrentThread()) {
      recordViolation(what + " called outside the synchronization context, on thread "
          + Thread.currentThread().getName());
    }
  }

  void recordViolation(String violation) {
    synchronized (lock) {
      violations.add(violation);
    }
  }

  @Override
  public SubConn newSubConn(List<Address> addresses, SubConnOptions options) {
    requireNonNull(addresses, "addresses");
    requireNonNull(options, "options");
    checkInContext("newSubConn(" + addresses + ")");
    if (addresses.isEmpty()) {
      recordViolation("newSubConn() with an empty address list");
      throw new IllegalArgumentException("addresses is empty (expected: at least one address)");
    }
    synchronized (lock) {
      FakeSubConn subConn = new FakeSubConn(this, subConns.size(), addresses, options);
      subConns.add(subConn);
      return subConn;
    }
  }

  @Override
  public void updateState(ConnectivityState state, Picker picker) {
    requireNonNull(state, "state");
    requireNonNull(picker, "picker");
    checkInContext("updateState(" + state + ")");
    synchronized (lock) {
      updates.add(new Update(state, picker));
    }
  }

  @Override
  public void resolveNow() {
    checkInContext("resolveNow()");
    resolveNowCount.incrementAndGet();
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public SynchronizationContext synchronizationContext() {
    return syncContext;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Returns the manual clock that serves as scheduler, unless the builder was given a scheduler. */
  public Optional<ManualClock> clock() {
    return clock;
  }

  /**
   * Opens a real plain-text channel to {@code addresses} (pick_first over them, in order) that
   * sends {@code authority}.
   */
  @Override
  public ManagedChannel createOobChannel(List<Address> addresses, String authority) {
    checkInContext("createOobChannel(" + addresses + ")");
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: [] (expected: at least one address)");
    }
    ManualResolver resolver = ManualResolver.create();
    resolver.setInitialState(ResolverState.newBuilder().addresses(addresses).build());
    return track(ChannelBuilder.forTarget(resolver.target())
        .resolverProvider(resolver.provider())
        .overrideAuthority(authority)
        .usePlaintext()
        .build());
  }

  /** Opens a real plain-text channel to {@code target}, with the default policy. */
  @Override
  public ManagedChannel createResolvingOobChannel(String target) {
    checkInContext("createResolvingOobChannel(" + ErrorText.quote(target) + ")");
    return track(ChannelBuilder.forTarget(target).pluginRegistry(registryForChannels()).usePlaintext().build());
  }

  /** Returns every out-of-band channel opened, in order, including those shut down. */
  public List<ManagedChannel> oobChannels() {
    synchronized (lock) {
      return List.copyOf(oobChannels);
    }
  }

  /** Returns the registry given to the builder, or the boot layer's plugins. */
  @Override
  public BalancerRegistry balancerRegistry() {
    return balancerRegistry;
  }

  private ManagedChannel track(ManagedChannel channel) {
    synchronized (lock) {
      oobChannels.add(channel);
    }
    return channel;
  }

  private PluginRegistry registryForChannels() {
    return balancerRegistry instanceof PluginRegistry ? (PluginRegistry) balancerRegistry : PluginRegistry.loadDefault();
  }

  /** Returns every subconn created, in order, including those shut down. */
  public List<FakeSubConn> subConns() {
    synchronized (lock) {
      return List.copyOf(subConns);
    }
  }

  /** Returns the subconns created and not shut down, in order. */
  public List<FakeSubConn> liveSubConns() {
    List<FakeSubConn> out = new ArrayList<>();
    for (FakeSubConn sc : subConns()) {
      if (!sc.isShutdown()) {
        out.add(sc);
      }
    }
    return List.copyOf(out);
  }

  /** Returns every (state, picker) pair published, in order. */
  public List<Update> updates() {
    synchronized (lock) {
      return List.copyOf(updates);
    }
  }

  /** Returns the last (state, picker) pair published, if any. */
  public Optional<Update> lastUpdate() {
    synchronized (lock) {
      return updates.isEmpty() ? Optional.empty() : Optional.of(updates.get(updates.size() - 1));
    }
  }

  /**
   * Returns the last picker published.
   *
   * @throws AssertionError if the balancer has published none
   */
  public Picker lastPicker() {
    return lastUpdate().orElseThrow(() -> new AssertionError("the balancer published no picker")).picker();
  }

  /** Returns how many times the balancer asked for re-resolution. */
  public int resolveNowCount() {
    return resolveNowCount.get();
  }

  /** Returns the violations of the threading contract recorded so far. */
  public List<String> violations() {
    synchronized (lock) {
      return List.copyOf(violations);
    }
  }

  /**
   * Fails if the balancer broke the contract: called this conn or a subconn outside the
   * synchronization context, asked for a subconn with no addresses, or threw on the context.
   *
   * @throws AssertionError listing every violation, with the exceptions thrown on the context as
   *     suppressed exceptions
   */
  public void assertNoViolations() {
    List<String> v;
    List<Throwable> causes;
    synchronized (lock) {
      v = List.copyOf(violations);
      causes = List.copyOf(thrown);
    }
    if (!v.isEmpty()) {
      AssertionError error = new AssertionError("the balancer broke the ClientConn contract " + v.size()
          + " time(s):\n  " + String.join("\n  ", v));
      // The exceptions thrown on the context, with their stack traces, for debugging.
      causes.forEach(error::addSuppressed);
      throw error;
    }
  }

  /**
   * Picks once with {@code picker} for a call of {@link #TEST_METHOD} with default options and
   * fresh headers. A picker that throws fails the test, as the channel would fail the call.
   */
  public static PickResult pick(Picker picker) {
    return pick(picker, CallOptions.DEFAULT);
  }

  /** Picks once with {@code picker} for a call of {@link #TEST_METHOD} with {@code options}. */
  public static PickResult pick(Picker picker, CallOptions options) {
    requireNonNull(picker, "picker");
    PickResult result = picker.pick(PickInfo.of(TEST_METHOD, options, new Metadata()));
    if (result == null) {
      throw new AssertionError("picker " + picker + " returned null");
    }
    return result;
  }

  /**
   * Ends a picked call as the channel ends one that reached its server: the pick's {@link
   * PickListener} hears {@code onStarted}, then {@code onDone} with {@code status}, sent and
   * received. For tests of per-pick bookkeeping (calls in flight, load reports).
   *
   * @throws AssertionError if {@code picked} is not a {@link PickResult.Complete}
   */
  public static void finishCall(PickResult picked, Status status) {
    finishCall(picked, DoneInfo.newBuilder(status).started(true).sentToServer(true)
        .receivedFromServer(true).build());
  }

  /**
   * Ends a picked call with {@code outcome}: {@code onStarted} if it says the stream started, then
   * {@code onDone}.
   *
   * @throws AssertionError if {@code picked} is not a {@link PickResult.Complete}
   */
  public static void finishCall(PickResult picked, DoneInfo outcome) {
    PickListener listener = complete(picked).listener();
    if (outcome.started()) {
      listener.onStarted();
    }
    listener.onDone(outcome);
  }

  /**
   * Reports a pick the channel did not use (its subconn was not READY, the call was cancelled):
   * {@code onDone} alone, not started, with {@code reason}.
   *
   * @throws AssertionError if {@code picked} is not a {@link PickResult.Complete}
   */
  public static void abandonPick(PickResult picked, Status reason) {
    complete(picked).listener().onDone(DoneInfo.notStarted(reason));
  }

  private static PickResult.Complete complete(PickResult picked) {
    if (!(picked instanceof PickResult.Complete)) {
      throw new AssertionError("pick " + picked + " (expected: a subconn, a PickResult.Complete)");
    }
    return (PickResult.Complete) picked;
  }

  /**
   * Picks {@code n} times and counts the results per subconn picked; other results (queue, fail,
   * drop) are counted under a {@code null} key.
   *
   * @return subconn to count, in order of first pick
   */
  public static Map<SubConn, Integer> pickSpread(Picker picker, int n) {
    Map<SubConn, Integer> spread = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      PickResult r = pick(picker);
      SubConn key = r instanceof PickResult.Complete c ? c.subConn() : null;
      spread.merge(key, 1, Integer::sum);
    }
    return spread;
  }

  @Override
  public String toString() {
    return "FakeBalancerClientConn{" + target + ", subConns=" + subConns() + ", updates=" + updates().size() + "}";
  }

  /**
   * Builds a {@link FakeBalancerClientConn}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private ScheduledExecutorService scheduler;
    private Target target = Target.newBuilder("fake").endpoint("test").build();
    private String authority = "test";
    private BalancerRegistry balancerRegistry;

    private Builder() {}

    /**
     * Sets the policies {@link ClientConn#balancerRegistry()} offers (a parent policy's children).
     * Default: the providers of the boot layer and class path ({@code PluginRegistry.loadDefault()}).
     */
    public Builder balancerRegistry(BalancerRegistry registry) {
      this.balancerRegistry = requireNonNull(registry, "registry");
      return this;
    }

    /** Sets the scheduler that {@link ClientConn#scheduler()} returns. Default: a new {@link ManualClock}. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Sets the channel target. Default: {@code fake:///test}. */
    public Builder target(Target target) {
      this.target = requireNonNull(target, "target");
      return this;
    }

    /** Sets the channel authority. Default: {@code test}. */
    public Builder authority(String authority) {
      this.authority = requireNonNull(authority, "authority");
      return this;
    }

    /** Returns the conn. */
    public FakeBalancerClientConn build() {
      return new FakeBalancerClientConn(this);
    }
  }
}
