package dev.switchboard.channel.core.internal.channel;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A subconn (grpc-java's {@code InternalSubchannel}): one logical connection over a list of
 * addresses, tried in order.
 *
 * <p>States: {@code IDLE → CONNECTING} on {@link #connect()}; {@code CONNECTING → READY} when a
 * transport is ready; when every address has failed, {@code TRANSIENT_FAILURE} with the most telling
 * error of that pass (see {@link PassFailures}), then after gRPC's backoff {@code CONNECTING} again
 * by itself. Each attempt gets at least
 * {@link #MIN_CONNECT_TIMEOUT} (or the current backoff, if longer). A {@code READY} transport that
 * shuts down (GOAWAY, loss) makes it {@code IDLE} and asks the channel to re-resolve.
 * {@link #shutdown()} stops taking calls; transports finish their streams and close.
 *
 * <h2>Threading</h2>
 *
 * <p>Thread-safe. State changes happen on the channel's synchronization context (a method called
 * from elsewhere hands itself over); transport events are handed over too. The active transport
 * and the state are also readable from any thread ({@link #obtainActiveTransport()} is on the
 * call's hot path).
 */
final class SubConnImpl implements SubConn {
  private static final System.Logger LOG = System.getLogger(SubConnImpl.class.getName());

  /** The least time an attempt to connect gets (gRPC's MIN_CONNECT_TIMEOUT). */
  static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private final ManagedChannelImpl channel;
  private final SynchronizationContext syncContext;
  private final Attributes attributes;
  private final Consumer<SubConnState> stateListener;
  private final ExponentialBackoff backoff = new ExponentialBackoff();

  private volatile List<Address> addresses;
  private volatile ConnectivityState state = ConnectivityState.IDLE;
  /** Set as soon as shutdown is asked for, so that no state reaches the listener after it. */
  private volatile boolean shutdownRequested;
  /** The READY transport (through its listener), or null. */
  private volatile TransportListener active;

  // The rest only on the synchronization context.
  private int addressIndex;
  private final PassFailures passFailures = new PassFailures();
  private ManagedClientTransport pendingTransport;
  private final Set<ManagedClientTransport> liveTransports = new HashSet<>();
  private SynchronizationContext.ScheduledHandle reconnectTask;
  private SynchronizationContext.ScheduledHandle connectTimeoutTask;
  private boolean terminated;

  SubConnImpl(
      ManagedChannelImpl channel,
      List<Address> addresses,
      Attributes attributes,
      Consumer<SubConnState> stateListener) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: [] (expected: at least one address)");
    }
    this.channel = channel;
    this.syncContext = channel.syncContext();
    this.addresses = List.copyOf(addresses);
    this.attributes = attributes;
    this.stateListener = stateListener;
  }

  @Override
  public void connect() {
    inContext(
        () -> {
          if (state == ConnectivityState.IDLE) {
            startNewTransport();
          }
        });
  }

  @Override
  public void shutdown() {
    shutdownRequested = true;
    inContext(() -> shutdownInContext(Status.UNAVAILABLE.withDescription("subconn shut down"), false));
  }

  /** Shuts down and fails every stream of every transport with {@code reason}. */
  void shutdownNow(Status reason) {
    shutdownRequested = true;
    inContext(() -> shutdownInContext(reason, true));
  }

  @Override
  public void updateAddresses(List<Address> newAddresses) {
    List<Address> copy = List.copyOf(newAddresses);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("addresses: [] (expected: at least one address)");
    }
    inContext(() -> updateAddressesInContext(copy));
  }

  @Override
  public List<Address> addresses() {
    return addresses;
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  /** Returns whether {@code owner} created this subconn. */
  boolean belongsTo(ManagedChannelImpl owner) {
    return channel == owner;
  }

  /** Returns the current state (any thread). */
  ConnectivityState state() {
    return state;
  }

  /**
   * Returns the READY transport, or null. On an IDLE subconn it also starts connecting, as a pick
   * of an IDLE subconn means a call wants it. Any thread; lock-free.
   */
  ManagedClientTransport obtainActiveTransport() {
    TransportListener current = active;
    if (current == null) {
      if (state == ConnectivityState.IDLE) {
        connect();
      }
      return null;
    }
    // A transport that reported its shutdown (GOAWAY) takes no new streams, even before the
    // synchronization context hears of it: the call waits for the next picker rather than being
    // refused by the transport, which would spend its transparent retries.
    return current.shutdownHeard ? null : current.transport;
  }

  /** Reconnects at once if waiting out a backoff. */
  void resetConnectBackoff() {
    inContext(
        () -> {
          backoff.reset();
          if (reconnectTask != null) {
            reconnectTask.cancel();
            reconnectTask = null;
            startNewTransport();
          }
        });
  }

  /**
   * Runs {@code task} on the synchronization context, always queued: called from a balancer's own
   * method ({@code connect()} inside {@code updateClientConnState}), it runs after that method
   * returns, so a state listener never runs inside the balancer's call (as grpc-java's
   * {@code InternalSubchannel}).
   */
  private void inContext(Runnable task) {
    syncContext.execute(task);
  }

  // ---- on the synchronization context ----

  private void startNewTransport() {
    if (addressIndex == 0) {
      passFailures.clear();
    }
    Address address = addresses.get(addressIndex);
    String authority = address.attributes().get(Address.AUTHORITY_OVERRIDE).orElse(channel.authority());
    ManagedClientTransport transport =
        channel.settings().transportFactory().newClientTransport(
            address.socketAddress(),
            new TransportOptions(authority, channel.settings().userAgent(), address.attributes()));
    pendingTransport = transport;
    liveTransports.add(transport);
    long timeoutNanos = Math.max(MIN_CONNECT_TIMEOUT.toNanos(), backoff.peekNanos());
    connectTimeoutTask =
        syncContext.schedule(
            () -> {
              if (pendingTransport == transport) {
                transport.shutdownNow(
                    Status.UNAVAILABLE.withDescription(
                        "connect to " + address.socketAddress() + " timed out after "
                            + Duration.ofNanos(timeoutNanos)));
              }
            },
            timeoutNanos,
            TimeUnit.NANOSECONDS,
            channel.scheduler());
    gotoState(SubConnState.of(ConnectivityState.CONNECTING));
    transport.start(new TransportListener(transport, address.socketAddress()));
  }

  private void transportReady(TransportListener listener) {
    if (listener.transport != pendingTransport) {
      return; // replaced or shut down meanwhile; its shutdown is under way
    }
    cancelConnectTimeout();
    passFailures.clear();
    pendingTransport = null;
    backoff.reset();
    active = listener;
    gotoState(SubConnState.ready(addresses.get(addressIndex)));
  }

  private void transportShutdown(ManagedClientTransport transport, Status reason) {
    if (state == ConnectivityState.SHUTDOWN) {
      return;
    }
    if (isActive(transport)) {
      active = null;
      addressIndex = 0;
      gotoState(SubConnState.of(ConnectivityState.IDLE));
      channel.refreshResolution();
    } else if (transport == pendingTransport) {
      cancelConnectTimeout();
      pendingTransport = null;
      passFailures.add(addresses.get(addressIndex).socketAddress(), reason.isOk()
          ? Status.UNAVAILABLE.withDescription("connection closed") : reason);
      addressIndex++;
      if (addressIndex < addresses.size()) {
        startNewTransport();
        return;
      }
      addressIndex = 0;
      Status failure = passFailures.summary();
      // The timer first, so that whoever hears TRANSIENT_FAILURE sees the reconnect scheduled.
      long delay = backoff.nextDelayNanos();
      reconnectTask =
          syncContext.schedule(
              () -> {
                reconnectTask = null;
                startNewTransport();
              },
              delay,
              TimeUnit.NANOSECONDS,
              channel.scheduler());
      gotoState(SubConnState.forTransientFailure(failure));
    }
  }

  private boolean isActive(ManagedClientTransport transport) {
    TransportListener current = active;
    return current != null && current.transport == transport;
  }

  private void transportTerminated(ManagedClientTransport transport) {
    liveTransports.remove(transport);
    if (isActive(transport)) {
      active = null; // terminated without shutdown first; treat as lost
      addressIndex = 0;
      gotoState(SubConnState.of(ConnectivityState.IDLE));
      channel.refreshResolution();
    }
    maybeTerminated();
  }

  private void updateAddressesInContext(List<Address> newAddresses) {
    List<Address> old = addresses;
    addresses = newAddresses;
    ConnectivityState current = state;
    if (current != ConnectivityState.READY && current != ConnectivityState.CONNECTING) {
      addressIndex = 0; // the next attempt starts at the top of the new list
      return;
    }
    SocketAddress connectedTo = old.get(addressIndex).socketAddress();
    for (int i = 0; i < newAddresses.size(); i++) {
      if (newAddresses.get(i).socketAddress().equals(connectedTo)) {
        addressIndex = i; // keep the connection (or attempt) to an address that stays
        return;
      }
    }
    addressIndex = 0;
    Status gone = Status.UNAVAILABLE.withDescription(connectedTo + " is no longer among the addresses");
    if (current == ConnectivityState.READY) {
      ManagedClientTransport saved = active.transport;
      active = null;
      gotoState(SubConnState.of(ConnectivityState.IDLE));
      saved.shutdown(gone);
    } else {
      ManagedClientTransport saved = pendingTransport;
      pendingTransport = null;
      cancelConnectTimeout();
      startNewTransport();
      saved.shutdown(gone);
    }
  }

  private void shutdownInContext(Status reason, boolean now) {
    if (state != ConnectivityState.SHUTDOWN) {
      state = ConnectivityState.SHUTDOWN; // not delivered to the balancer
      active = null;
      pendingTransport = null;
      cancelConnectTimeout();
      if (reconnectTask != null) {
        reconnectTask.cancel();
        reconnectTask = null;
      }
    }
    for (ManagedClientTransport transport : List.copyOf(liveTransports)) {
      if (now) {
        transport.shutdownNow(reason);
      } else {
        transport.shutdown(reason);
      }
    }
    maybeTerminated();
  }

  private void maybeTerminated() {
    if (state == ConnectivityState.SHUTDOWN && liveTransports.isEmpty() && !terminated) {
      terminated = true;
      channel.subConnTerminated(this);
    }
  }

  private void cancelConnectTimeout() {
    if (connectTimeoutTask != null) {
      connectTimeoutTask.cancel();
      connectTimeoutTask = null;
    }
  }

  private void gotoState(SubConnState newState) {
    if (state == ConnectivityState.SHUTDOWN || shutdownRequested) {
      return;
    }
    if (state == newState.state() && newState.state() != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    state = newState.state();
    stateListener.accept(newState);
  }

  @Override
  public String toString() {
    return "SubConn{" + addresses + ", " + state + "}";
  }

  /**
   * The failures of one pass over the addresses. The pass reports the most telling one: the first
   * attempt that reached a server (a TLS or HTTP/2 failure says what to fix) over attempts that did
   * not (refused, unreachable, timed out); with a word on how many other addresses failed and the
   * first of them, so that {@code localhost} with an untrusted certificate on 127.0.0.1 and nothing
   * on ::1 reads as the certificate problem, not as "Connection refused".
   */
  private static final class PassFailures {
    private Status telling;
    private SocketAddress tellingAddress;
    private Status other;
    private SocketAddress otherAddress;
    private int count;

    void add(SocketAddress address, Status failure) {
      count++;
      if (telling == null || (!reachedServer(telling) && reachedServer(failure))) {
        if (telling != null && other == null) {
          other = telling;
          otherAddress = tellingAddress;
        }
        telling = failure;
        tellingAddress = address;
      } else if (other == null) {
        other = failure;
        otherAddress = address;
      }
    }

    Status summary() {
      if (count <= 1) {
        return telling;
      }
      int others = count - 1;
      return telling.augmentDescription("and " + others
          + (others == 1 ? " other address" : " other addresses") + " failed too, " + otherAddress + ": " + other.description().orElse(other.code().name()));
    }

    void clear() {
      telling = null;
      tellingAddress = null;
      other = null;
      otherAddress = null;
      count = 0;
    }

    /** A connect failure carries the {@link ConnectException} (refused, unreachable, timed out). */
    private static boolean reachedServer(Status failure) {
      for (Throwable t = failure.cause().orElse(null); t != null;
          t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof ConnectException) {
          return false;
        }
      }
      return true;
    }
  }

  /** Hands a transport's events over to the synchronization context. */
  private final class TransportListener implements ManagedClientTransport.Listener {
    private final ManagedClientTransport transport;
    private final SocketAddress address;
    /** Set on the transport's thread, read by picks on any thread. */
    private volatile boolean shutdownHeard;

    TransportListener(ManagedClientTransport transport, SocketAddress address) {
      this.transport = transport;
      this.address = address;
    }

    @Override
    public void transportReady() {
      syncContext.execute(() -> SubConnImpl.this.transportReady(this));
    }

    @Override
    public void transportShutdown(Status reason) {
      shutdownHeard = true;
      LOG.log(Level.DEBUG, () -> "transport to " + address + " shut down: " + reason);
      syncContext.execute(() -> SubConnImpl.this.transportShutdown(transport, reason));
    }

    @Override
    public void transportTerminated() {
      shutdownHeard = true;
      syncContext.execute(() -> SubConnImpl.this.transportTerminated(transport));
    }
  }
}
