package dev.switchboard.channel.api.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HostAndPortTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "orders.example.com:50051 | orders.example.com | 50051",
      "orders                   | orders             | 443",
      "_svc.my-host.example.:1  | _svc.my-host.example. | 1",
      "10.0.0.1:65535           | 10.0.0.1           | 65535",
      "[2001:db8::1]:80         | 2001:db8::1        | 80",
      "[2001:db8::1]            | 2001:db8::1        | 443",
      "::1                      | ::1                | 443",
      "localhost:00080          | localhost          | 80",
  })
  void splitsHostAndPortWithTheDefaultPortWhenNoneIsGiven(String text, String host, int port) {
    HostAndPort parsed = HostAndPort.parse(text, 443);
    assertThat(parsed.host()).isEqualTo(host);
    assertThat(parsed.port()).isEqualTo(port);
  }

  @Test
  void ipLiteralsHaveTheirAddressAndNamesHaveNone() throws Exception {
    assertThat(HostAndPort.parse("10.0.0.1", 1).ipAddress()).contains(InetAddress.getByName("10.0.0.1"));
    assertThat(HostAndPort.parse("[::1]:1", 1).ipAddress()).contains(InetAddress.getByName("::1"));
    assertThat(HostAndPort.parse("1.2.3", 1).ipAddress()).as("not a dotted quad: a name").isEmpty();
    assertThat(HostAndPort.parse("localhost", 1).ipAddress()).isEmpty();
  }

  @Test
  void ipv6ZonesNameAnInterfaceAnIndexOrTheUriEncodedForm() throws Exception {
    int lo = NetworkInterface.getByName("lo").getIndex();
    for (String text : new String[] {"[fe80::1%lo]:80", "[fe80::1%25lo]:80", "[fe80::1%" + lo + "]:80",
        "fe80::1%lo"}) {
      InetAddress address = HostAndPort.parse(text, 443).ipAddress().orElseThrow();
      assertThat(address).as(text).isInstanceOf(Inet6Address.class);
      assertThat(((Inet6Address) address).getScopeId()).as(text).isEqualTo(lo);
    }
    assertThat(((Inet6Address) HostAndPort.parse("[fe80::1%4000]", 1).ipAddress().orElseThrow())
        .getScopeId()).as("any number, as the JDK takes it").isEqualTo(4000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "host:+80          | port '+80' (expected: 1-65535 in ASCII digits)",
      "host:\u0661\u0662\u0663 | (expected: 1-65535 in ASCII digits)",
      "host:0            | port 0 (expected: 1-65535)",
      "host:65536        | port 65536 (expected: 1-65535)",
      "host:123456       | (expected: 1-65535 in ASCII digits)",
      "host:             | the port is empty",
      "'':80             | the host is empty",
      "a..b              | not a host name",
      "[::1              | no ']'",
      "[1.2.3.4]:80      | '1.2.3.4' is not an IPv6 address",
      "[::1]80           | '80' after ']'",
      "1::2::3           | '1::2::3' is not an IP address",
      "[fe80::1%]        | the IPv6 zone after '%' is empty",
      "[fe80::1%nic-x9]  | IPv6 zone 'nic-x9' is no network interface of this machine",
      "[::ffff:1.2.3.4%lo] | a zone on an IPv4-mapped address",
  })
  void malformedTextIsRefusedQuotingItAndNamingTheProblem(String text, String problem) {
    String input = text.equals("'':80") ? ":80" : text;
    assertThatThrownBy(() -> HostAndPort.parse(input, 443))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'" + input + "': ")
        .hasMessageContaining(problem);
  }

  @Test
  void hugeTextIsQuotedCutToAReadableLength() {
    assertThatThrownBy(() -> HostAndPort.parse("x".repeat(1_000_000) + ":1", 443))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(1000002 characters)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void defaultPortMustBeAPort() {
    assertThatThrownBy(() -> HostAndPort.parse("host", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultPort: 0 (expected: 1-65535)");
  }

  @Test
  void equalityIsHostAndPortAndToStringBracketsIpv6() {
    assertThat(HostAndPort.parse("orders", 443)).isEqualTo(HostAndPort.parse("orders:443", 80))
        .hasSameHashCodeAs(HostAndPort.parse("orders:443", 80));
    assertThat(HostAndPort.parse("::1", 8080)).hasToString("[::1]:8080");
    assertThat(HostAndPort.parse("orders", 443)).hasToString("orders:443");
  }
}
