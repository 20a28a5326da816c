package dev.switchboard.resolver.dns.internal;

import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.testing.Dnsmasq;
import dev.switchboard.channel.testing.ResolverProviderContractTest;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The dns provider passes the testing kit's resolver contract, against a real dnsmasq. */
class DnsResolverProviderContractTest extends ResolverProviderContractTest {
  private static Dnsmasq dns;

  @BeforeAll
  static void startDnsmasq() {
    dns = Dnsmasq.create().host("echo.test", "127.0.0.11", "::1").start();
  }

  @AfterAll
  static void stopDnsmasq() {
    dns.close();
  }

  @Override
  protected ResolverProvider provider() {
    return new DnsResolverProvider();
  }

  @Override
  protected Target validTarget() {
    return DnsResolverTest.target(dns.target("echo.test:50051"));
  }

  @Override
  protected Optional<Target> invalidTarget() {
    return Optional.of(DnsResolverTest.target("dns:///echo.test:99999"));
  }
}
