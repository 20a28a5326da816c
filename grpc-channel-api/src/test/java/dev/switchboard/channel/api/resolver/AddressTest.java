package dev.switchboard.channel.api.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Attributes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AddressTest {

  private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 443);

  @Test
  void unresolvedSocketAddressIsRefusedNamingIt() {
    assertThatThrownBy(() -> Address.of(InetSocketAddress.createUnresolved("orders", 443)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("orders")
        .hasMessageContaining("expected: an IP address");
  }

  @Test
  void equalityIncludesAttributes() {
    Address plain = Address.of(LOOPBACK);
    Address overridden = new Address(LOOPBACK,
        Attributes.newBuilder().set(Address.AUTHORITY_OVERRIDE, "lb.example").build());

    assertThat(plain).isEqualTo(Address.of(LOOPBACK)).isNotEqualTo(overridden);
    assertThat(plain.toString()).isEqualTo(LOOPBACK.toString());
    assertThat(overridden.toString()).contains("lb.example");
  }

  @Test
  void targetNeedsAScheme() {
    assertThatThrownBy(() -> new Target("", "", "x", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scheme of target 'x' is empty");
    assertThat(new Target("dns", "", "orders:443", "dns:///orders:443")).hasToString("dns:///orders:443");
  }
}
