package dev.switchboard.channel.api.balancer;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.resolver.Address;
import java.util.List;

/**
 * A {@link SubConn} that forwards every method to {@link #delegate()}.
 *
 * <p>As thread-safe as the delegate.
 *
 * @since 0.1
 */
public abstract class ForwardingSubConn implements SubConn {

  /** Returns the subconn to forward to. */
  protected abstract SubConn delegate();

  @Override
  public void connect() {
    delegate().connect();
  }

  @Override
  public void shutdown() {
    delegate().shutdown();
  }

  @Override
  public void updateAddresses(List<Address> addresses) {
    delegate().updateAddresses(addresses);
  }

  @Override
  public List<Address> addresses() {
    return delegate().addresses();
  }

  @Override
  public Attributes attributes() {
    return delegate().attributes();
  }

  @Override
  public SubConn underlying() {
    return delegate().underlying();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + delegate() + "}";
  }
}
