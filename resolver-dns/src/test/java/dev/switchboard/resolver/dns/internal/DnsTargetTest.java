package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DnsTargetTest {

  private static DnsTarget parse(String target) {
    return DnsTarget.parse(DnsResolverTest.target(target), 443);
  }

  @Test
  void hostWithPortAndNoServerAsksTheSystem() {
    DnsTarget t = parse("dns:///orders.example.com:50051");
    assertThat(t.dnsServer()).isNull();
    assertThat(t.host()).isEqualTo("orders.example.com");
    assertThat(t.port()).isEqualTo(50051);
    assertThat(t.needsQuery()).isTrue();
  }

  @Test
  void portDefaultsToTheGivenDefault() {
    assertThat(parse("dns:orders").port()).isEqualTo(443);
    assertThat(DnsTarget.parse(DnsResolverTest.target("dns:orders"), 8080).port()).isEqualTo(8080);
  }

  @Test
  void authorityNamesTheDnsServerWithPort53ByDefault() throws Exception {
    assertThat(parse("dns://127.0.0.1:25353/echo.test:50051").dnsServer())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 25353));
    assertThat(parse("dns://[::1]/echo.test").dnsServer())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 53));
    assertThat(parse("dns://localhost:5353/echo.test").dnsServer())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5353));
  }

  @Test
  void ipLiteralsAndLocalhostNeedNoQuery() throws Exception {
    assertThat(parse("dns:///10.1.2.3:80").knownAddresses())
        .containsExactly(InetAddress.getByName("10.1.2.3"));
    DnsTarget v6 = parse("dns:///[2001:db8::1]:80");
    assertThat(v6.host()).isEqualTo("2001:db8::1");
    assertThat(v6.knownAddresses()).containsExactly(InetAddress.getByName("2001:db8::1"));
    assertThat(parse("dns:///::1").knownAddresses()).containsExactly(InetAddress.getByName("::1"));
    assertThat(parse("dns:///LocalHost:1").knownAddresses())
        .containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
  }

  @Test
  void scopedIpv6LiteralsKeepTheirZoneAsScope() throws Exception {
    // lo is on every Linux machine; RFC 6874 writes the zone's '%' as %25 inside a URI.
    int lo = NetworkInterface.getByName("lo").getIndex();
    for (String target : new String[] {"dns:///[fe80::1%lo]:80", "dns:///[fe80::1%25lo]:1",
        "dns:///[fe80::1%" + lo + "]:1"}) {
      assertThat(parse(target).knownAddresses()).as(target).singleElement()
          .isInstanceOfSatisfying(Inet6Address.class, a -> {
            assertThat(a.getHostAddress()).startsWith("fe80:0:0:0:0:0:0:1%");
            assertThat(a.getScopeId()).isEqualTo(lo);
          });
    }
    InetSocketAddress server = parse("dns://[fe80::1%lo]/localhost:80").dnsServer();
    assertThat(server.getPort()).isEqualTo(53);
    assertThat(((Inet6Address) server.getAddress()).getScopeId()).isEqualTo(lo);
  }

  @Test
  void namesWithUnderscoreAndTrailingDotAreAccepted() {
    assertThat(parse("dns:///_svc.my-host.example.:1").host()).isEqualTo("_svc.my-host.example.");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "dns:///x:99999        | port 99999 (expected: 1-65535)",
      "dns:///x:0            | port 0 (expected: 1-65535)",
      "dns:///x:http         | port 'http' (expected: 1-65535 in ASCII digits)",
      "dns:///x:+80          | port '+80' (expected: 1-65535 in ASCII digits)",
      "dns:///x:\u0661\u0662  | (expected: 1-65535 in ASCII digits)",
      "dns:///x:             | port is empty (expected: 1-65535)",
      "dns:///               | host is empty",
      "dns:///:80            | host is empty",
      "dns:///a..b           | 'a..b': not a host name",
      "dns:///a b:1          | host 'a b'",
      "dns:///[::1           | has no ']'",
      "dns:///[nope]:1       | 'nope' is not an IPv6 address",
      "dns:///[fe80::1%]:1   | the IPv6 zone after '%' is empty",
      "dns:///[fe80::1%no-such-nic0]:1 | IPv6 zone 'no-such-nic0' is no network interface of this machine",
      "dns:///[::1]x         | 'x' after ']'",
      "dns:///a:b:c          | 'a:b:c' is not an IP address",
      "dns://dns.example/x   | DNS server 'dns.example' (expected: an IP address or localhost",
      "dns://127.0.0.1:0/x   | DNS server '127.0.0.1:0': port 0 (expected: 1-65535)",
  })
  void malformedTargetIsRefusedNamingTargetAndProblem(String target, String problem) {
    assertThatThrownBy(() -> parse(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("target '" + target + "': ")
        .hasMessageContaining(problem);
  }

  @Test
  void overlongLabelIsRefused() {
    String label = "a".repeat(64);
    assertThatThrownBy(() -> parse("dns:///" + label + ".test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + label + ".test': not a host name");
  }
}
