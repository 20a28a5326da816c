package dev.switchboard.balancer.grpclb.internal;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.balancer.ForwardingSubConn;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.resolver.Address;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * A subconn the child policy created, as grpclb sees it: the {@code lb-token} of its address (a
 * balancer-only attribute, so a new token never churns the connection) and the pick result the
 * picker returns for it, with the current stream's load recorder as listener (none in fallback,
 * as in grpc-java: fallback calls are not reported).
 *
 * <p>The child gets this wrapper; the result names the channel's own subconn ({@link
 * SubConn#underlying()}), as a child's result would.
 *
 * <p>Thread-safe: changed on the synchronization context, read by pickers through the volatile
 * {@link #tag}.
 */
final class Backend extends ForwardingSubConn {

  /** The token of a server from the balancer's list: a balancer-only attribute of its address. */
  static final Attributes.Key<String> TOKEN = Attributes.Key.create("switchboard.grpclb.lb-token");

  /**
   * A token and the result carrying it: the channel's subconn, the load recorder as listener, and
   * the {@code lb-token} header as the result's headers ({@link PickResult.Complete#headers()}), so
   * that a pick writes no header. Immutable (the header's {@code Metadata} is never changed).
   */
  static final class Tag {
    final String token;
    final PickResult.Complete result;

    Tag(String token, SubConn subConn, PickListener listener) {
      this.token = token;
      if (token == null) {
        this.result = (PickResult.Complete) PickResult.withSubConn(subConn, listener);
      } else {
        Metadata header = new Metadata();
        header.put(GrpclbPicker.LB_TOKEN, token);
        this.result = (PickResult.Complete) PickResult.withSubConn(subConn, listener, header);
      }
    }
  }

  private final SubConn delegate;
  private final Consumer<Backend> onShutdown;
  /** The child that created it. */
  final Object owner;
  private LoadRecorder recorder;
  /** The addresses as the child last gave them: the channel keeps equal ones, old tokens and all. */
  private List<Address> addresses;
  /** Where the connection went, from the last READY state; null until then. */
  private SocketAddress connected;
  volatile Tag tag;

  /**
   * Wraps {@code delegate}, recording into {@code recorder} (null: none) and calling {@code
   * onShutdown} when the child shuts it down.
   */
  Backend(SubConn delegate, List<Address> addresses, LoadRecorder recorder, Object owner,
      Consumer<Backend> onShutdown) {
    this.delegate = delegate;
    this.owner = owner;
    this.addresses = List.copyOf(addresses);
    this.recorder = recorder;
    this.onShutdown = onShutdown;
    retag();
  }

  @Override
  public void shutdown() {
    onShutdown.accept(this);
    delegate.shutdown();
  }

  @Override
  protected SubConn delegate() {
    return delegate;
  }

  @Override
  public void updateAddresses(List<Address> addresses) {
    delegate.updateAddresses(addresses);
    this.addresses = List.copyOf(addresses);
    retag();
  }

  /**
   * The subconn became READY, connected to {@code address} (from {@code SubConnState.address()}):
   * calls carry that server's token from now on (what matters for pick_first's one subconn over the
   * whole list).
   */
  void connectedTo(Address address) {
    SocketAddress socket = address.socketAddress();
    if (!socket.equals(connected)) {
      connected = socket;
      retag();
    }
  }

  /** Uses {@code recorder} (null: none, in fallback) for the picks from now on. */
  void recordInto(LoadRecorder recorder) {
    if (this.recorder != recorder) {
      this.recorder = recorder;
      retag();
    }
  }

  private void retag() {
    String token = tokenOf(addresses, connected);
    PickListener listener = recorder != null ? recorder.listener : PickListener.NONE;
    tag = new Tag(token, delegate.underlying(), listener);
  }

  /**
   * Returns the token of the address the subconn is connected to, if known and listed, else of the
   * first address that has one (an empty token is none, as in grpc-go). A subconn of round_robin
   * has one address; pick_first's one subconn has the whole list.
   */
  static String tokenOf(List<Address> addresses, SocketAddress connected) {
    if (connected != null) {
      for (Address address : addresses) {
        if (address.socketAddress().equals(connected)) {
          String token = address.balancerAttributes().get(TOKEN).orElse("");
          return token.isEmpty() ? null : token;
        }
      }
    }
    for (Address address : addresses) {
      String token = address.balancerAttributes().get(TOKEN).orElse(null);
      if (token != null && !token.isEmpty()) {
        return token;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    Tag t = tag;
    return "Backend{" + delegate.addresses() + ", token=" + (t == null ? null : t.token) + "}";
  }
}
