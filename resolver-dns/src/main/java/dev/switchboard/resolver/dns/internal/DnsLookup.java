package dev.switchboard.resolver.dns.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * One way of resolving a target: DNS queries, or addresses known from the target itself.
 *
 * <p>Thread-safe.
 */
interface DnsLookup extends AutoCloseable {

  /**
   * Starts a resolution and calls {@code done} exactly once with its outcome, from any thread,
   * possibly inline. After {@link #close()} the outcome may never come.
   */
  void resolve(Consumer<Resolution> done);

  /** Releases what the lookup holds. Idempotent; does not block. */
  @Override
  default void close() {}

  /**
   * What one resolution found, or why it failed.
   *
   * <p>Immutable.
   *
   * @param error why the resolution failed, or {@code null} if it succeeded
   * @param addresses the server addresses: IPv4 first, then IPv6, each in the DNS server's order
   * @param balancers the grpclb balancers from SRV records, each with its authority override
   * @param txtRecords the TXT records of {@code _grpc_config.<host>}, each record's strings joined;
   *     {@code null} when not looked up or there is none
   */
  record Resolution(
      Status error, List<InetSocketAddress> addresses, List<Address> balancers, List<String> txtRecords) {

    public Resolution {
      addresses = List.copyOf(addresses);
      balancers = List.copyOf(balancers);
      txtRecords = txtRecords == null ? null : List.copyOf(txtRecords);
    }

    static Resolution failed(Status error) {
      return new Resolution(requireNonNull(error, "error"), List.of(), List.of(), null);
    }

    static Resolution found(
        List<InetSocketAddress> addresses, List<Address> balancers, List<String> txtRecords) {
      return new Resolution(null, addresses, balancers, txtRecords);
    }
  }
}
