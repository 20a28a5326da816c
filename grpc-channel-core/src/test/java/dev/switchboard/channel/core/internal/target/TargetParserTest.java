package dev.switchboard.channel.core.internal.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.resolver.Target;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetParserTest {
  private static final Predicate<String> KNOWN = Set.of("dns", "zk", "consul", "unix", "passthrough")::contains;

  private static Target parse(String target) {
    return TargetParser.parse(target, "dns", KNOWN);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "dns:///orders:443                 | dns         |                | orders:443      | true  |",
      "dns://8.8.8.8:53/orders:443       | dns         | 8.8.8.8:53     | orders:443      | true  |",
      "dns:orders:443                    | dns         |                | orders:443      | false |",
      "zk://zk1:2181/services/orders     | zk          | zk1:2181       | services/orders | true  |",
      "consul://127.0.0.1:8500/orders    | consul      | 127.0.0.1:8500 | orders          | true  |",
      "consul://127.0.0.1:8500/orders?dc=dc1&tag=v2 | consul | 127.0.0.1:8500 | orders | true | dc=dc1&tag=v2",
      "consul:orders?tag=a%26b           | consul      |                | orders          | false | tag=a%26b",
      "consul:///orders?                 | consul      |                | orders          | true  | ''",
      "unix:/run/app.sock                | unix        |                | run/app.sock    | true  |",
      "unix:///run/app.sock              | unix        |                | run/app.sock    | true  |",
      "DNS:///Orders:443                 | dns         |                | Orders:443      | true  |",
      "passthrough:///10.0.0.1:50051     | passthrough |                | 10.0.0.1:50051  | true  |",
      "dns:///my%20svc:443               | dns         |                | my svc:443      | true  |",
      "passthrough:///[::1]:80           | passthrough |                | [::1]:80        | true  |",
      "passthrough:///[fe80::1%eth0]:80  | passthrough |                | [fe80::1%eth0]:80 | true |",
      "passthrough:///[fe80::1%25eth0]:80 | passthrough |               | [fe80::1%eth0]:80 | true |",
      "dns://[::1]:53/orders             | dns         | [::1]:53       | orders          | true  |",
  })
  void parsesTargetsWithKnownSchemes(String target, String scheme, String authority, String endpoint,
      boolean absolute, String query) {
    Target t = parse(target);

    assertThat(t.scheme()).isEqualTo(scheme);
    assertThat(t.authority()).isEqualTo(authority == null ? "" : authority);
    assertThat(t.endpoint()).isEqualTo(endpoint);
    assertThat(t.isPathAbsolute()).isEqualTo(absolute);
    assertThat(t.query()).isEqualTo(java.util.Optional.ofNullable(query));
    assertThat(t.original()).isEqualTo(target);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "orders:443, orders:443",
      "localhost:50051, localhost:50051",
      "10.0.0.1:443, 10.0.0.1:443",
      "[::1]:50051, [::1]:50051",
      "[2001:db8::1], [2001:db8::1]",
      "'[fe80::1%25lo]:1', '[fe80::1%25lo]:1'",
      "orders.example.com, orders.example.com",
      "foo:///bar, foo:///bar",
  })
  void givesTheDefaultSchemeToTargetsWithoutAKnownOne(String target, String endpoint) {
    Target t = parse(target);

    assertThat(t.scheme()).isEqualTo("dns");
    assertThat(t.authority()).isEmpty();
    assertThat(t.endpoint()).isEqualTo(endpoint);
    assertThat(t.isPathAbsolute()).isTrue();
    assertThat(t.query()).isEmpty();
    assertThat(t.original()).isEqualTo(target);
  }

  @Test
  void usesTheGivenDefaultScheme() {
    assertThat(TargetParser.parse("10.0.0.1:443", "passthrough", KNOWN).scheme()).isEqualTo("passthrough");
  }

  @Test
  void rejectsAnEmptyTarget() {
    assertThatThrownBy(() -> parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target ''")
        .hasMessageContaining("empty");
  }

  @Test
  void rejectsSpacesNamingThePosition() {
    assertThatThrownBy(() -> parse("dns:///orders :443"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target 'dns:///orders :443'")
        .hasMessageContaining("0x20 at 13");
  }

  @Test
  void rejectsAMalformedUriWithAKnownSchemeInsteadOfFallingBack() {
    assertThatThrownBy(() -> parse("dns://[::1/orders:443"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("target 'dns://[::1/orders:443': ");
  }

  @Test
  void rejectsAnEmptyEndpoint() {
    assertThatThrownBy(() -> parse("dns:///"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target 'dns:///'")
        .hasMessageContaining("endpoint is empty");
  }

  @Test
  void rejectsAFragment() {
    assertThatThrownBy(() -> parse("zk://zk1:2181/services/orders#x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fragment '#x'");
  }
}
