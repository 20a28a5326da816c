package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
  void namesWithUnderscoreAndTrailingDotAreAccepted() {
    assertThat(parse("dns:///_svc.my-host.example.:1").host()).isEqualTo("_svc.my-host.example.");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "dns:///x:99999        | port 99999 (expected: 1-65535)",
      "dns:///x:0            | port 0 (expected: 1-65535)",
      "dns:///x:http         | port http (expected: 1-65535)",
      "dns:///x:             | port is empty (expected: 1-65535)",
      "dns:///               | host is empty",
      "dns:///:80            | host is empty",
      "dns:///a..b           | host 'a..b'",
      "dns:///a b:1          | host 'a b'",
      "dns:///[::1           | has no ']'",
      "dns:///[nope]:1       | 'nope' in brackets (expected: an IPv6 address)",
      "dns:///[::1]x         | 'x' after ']'",
      "dns:///a:b:c          | 'a:b:c' (expected: host[:port], or [ipv6]:port)",
      "dns://dns.example/x   | DNS server 'dns.example' (expected: an IP address or localhost",
      "dns://127.0.0.1:0/x   | DNS server port 0 (expected: 1-65535)",
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
        .hasMessageContaining("host '" + label + ".test'");
  }
}
