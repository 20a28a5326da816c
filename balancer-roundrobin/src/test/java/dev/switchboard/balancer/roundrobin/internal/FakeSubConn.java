package dev.switchboard.balancer.roundrobin.internal;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import java.util.List;

/** A stand-in for the testing kit's fake subconn, until the kit lands on main. */
final class FakeSubConn implements SubConn {
  private final FakeBalancerClientConn owner;
  private final SubConnOptions options;
  private List<Address> addresses;
  private int connectCount;
  private boolean shutdown;

  FakeSubConn(FakeBalancerClientConn owner, List<Address> addresses, SubConnOptions options) {
    this.owner = owner;
    this.addresses = List.copyOf(addresses);
    this.options = options;
  }

  @Override
  public void connect() {
    owner.checkInContext("connect");
    connectCount++;
  }

  @Override
  public void shutdown() {
    owner.checkInContext("shutdown");
    shutdown = true;
  }

  @Override
  public void updateAddresses(List<Address> addresses) {
    owner.checkInContext("updateAddresses");
    this.addresses = List.copyOf(addresses);
  }

  @Override
  public List<Address> addresses() {
    return addresses;
  }

  @Override
  public Attributes attributes() {
    return options.attributes();
  }

  int connectCount() {
    return connectCount;
  }

  boolean isShutdown() {
    return shutdown;
  }

  void deliverState(SubConnState state) {
    owner.synchronizationContext().execute(() -> options.stateListener().onSubConnState(state));
  }

  @Override
  public String toString() {
    return "FakeSubConn" + addresses;
  }
}
