package dev.switchboard.channel.api.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Attributes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressTest {

  private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 443);
  private static final InetSocketAddress LOOPBACK_V6 =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 443);
  private static final Attributes.Key<Integer> WEIGHT = Attributes.Key.create("test.weight");

  @Test
  void unresolvedSocketAddressIsRefusedNamingIt() {
    assertThatThrownBy(() -> Address.of(InetSocketAddress.createUnresolved("orders", 443)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("orders")
        .hasMessageContaining("expected: an IP address");
  }

  @Test
  void equalityIncludesIdentifyingAttributes() {
    Address plain = Address.of(LOOPBACK);
    Address overridden = Address.newBuilder(LOOPBACK)
        .attributes(Attributes.newBuilder().set(Address.AUTHORITY_OVERRIDE, "lb.example").build()).build();

    assertThat(plain).isEqualTo(Address.of(LOOPBACK)).isNotEqualTo(overridden);
    assertThat(plain.toString()).isEqualTo(LOOPBACK.toString());
    assertThat(overridden.toString()).contains("lb.example");
  }

  @Test
  void balancerAttributesAreNotPartOfEquality() {
    Address light = Address.newBuilder(LOOPBACK)
        .balancerAttributes(Attributes.newBuilder().set(WEIGHT, 1).build()).build();
    Address heavy = light.toBuilder().balancerAttributes(Attributes.newBuilder().set(WEIGHT, 9).build()).build();

    assertThat(light).isEqualTo(heavy).hasSameHashCodeAs(heavy);
    assertThat(heavy.balancerAttributes().get(WEIGHT)).contains(9);
    assertThat(heavy.toString()).contains("9");
  }

  @Test
  void endpointsAreEqualByTheirAddressesInOrderNotTheirAttributes() {
    Endpoint weighted = Endpoint.newBuilder(List.of(Address.of(LOOPBACK), Address.of(LOOPBACK_V6)))
        .attributes(Attributes.newBuilder().set(WEIGHT, 5).build()).build();

    assertThat(weighted).isEqualTo(Endpoint.of(Address.of(LOOPBACK), Address.of(LOOPBACK_V6)));
    assertThat(weighted.attributes().get(WEIGHT)).contains(5);
    assertThatThrownBy(() -> Endpoint.of(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one address");
  }

  @Test
  void endpointsFlattenToTheirAddressesInOrderEachOnce() {
    Address a = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
    Address b = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 2));
    Address c = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 3));

    assertThat(Endpoint.flatten(List.of(Endpoint.of(a, b), Endpoint.of(b, c)))).containsExactly(a, b, c);
    assertThat(Endpoint.eachOf(List.of(a, b))).containsExactly(Endpoint.of(a), Endpoint.of(b));
  }

  @Test
  void resolverStateOfAddressesHasAnEndpointPerAddress() {
    Address a = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
    ResolverState state = ResolverState.newBuilder().addresses(List.of(a)).build();

    assertThat(state.endpoints()).containsExactly(Endpoint.of(a));
    assertThat(state.addresses()).containsExactly(a);
  }

  @Test
  void targetNeedsAScheme() {
    assertThatThrownBy(() -> Target.newBuilder(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scheme: '' (expected: not empty)");
    Target target = Target.newBuilder("dns").endpoint("orders:443").original("dns:///orders:443").build();
    assertThat(target).hasToString("dns:///orders:443");
    assertThat(target.isPathAbsolute()).isTrue();
    assertThat(target.query()).isEmpty();
  }

  @Test
  void targetWithoutAnOriginalComposesOne() {
    assertThat(Target.newBuilder("consul").authority("127.0.0.1:8500").endpoint("orders").query("dc=dc1").build())
        .hasToString("consul://127.0.0.1:8500/orders?dc=dc1");
    assertThat(Target.newBuilder("file").endpoint("relative/x").pathAbsolute(false).build())
        .hasToString("file:relative/x");
  }
}
