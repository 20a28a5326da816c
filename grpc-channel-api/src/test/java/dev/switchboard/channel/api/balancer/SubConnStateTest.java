package dev.switchboard.channel.api.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SubConnStateTest {

  @Test
  void statesOtherThanTransientFailureCarryOk() {
    for (ConnectivityState s : ConnectivityState.values()) {
      if (s != ConnectivityState.TRANSIENT_FAILURE) {
        assertThat(SubConnState.of(s).status()).isSameAs(Status.OK);
        assertThat(SubConnState.of(s).state()).isSameAs(s);
      }
    }
  }

  @Test
  void transientFailureCarriesItsError() {
    Status error = Status.UNAVAILABLE.withDescription("connection refused");

    SubConnState s = SubConnState.forTransientFailure(error);

    assertThat(s.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(s.status()).isSameAs(error);
  }

  @Test
  void transientFailureWithoutAnErrorIsRefused() {
    assertThatThrownBy(() -> SubConnState.of(ConnectivityState.TRANSIENT_FAILURE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TRANSIENT_FAILURE")
        .hasMessageContaining("expected: forTransientFailure(error)");
    assertThatThrownBy(() -> SubConnState.forTransientFailure(Status.OK))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalStatesAreEqual() {
    assertThat(SubConnState.of(ConnectivityState.READY)).isEqualTo(SubConnState.of(ConnectivityState.READY));
  }

  @Test
  void readyNamesTheAddressItConnectedToAndOtherStatesNone() {
    Address a = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4001));
    Address b = Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4002));

    assertThat(SubConnState.ready(a).state()).isEqualTo(ConnectivityState.READY);
    assertThat(SubConnState.ready(a).address()).contains(a);
    assertThat(SubConnState.ready(a)).isEqualTo(SubConnState.ready(a)).isNotEqualTo(SubConnState.ready(b))
        .isNotEqualTo(SubConnState.of(ConnectivityState.READY));
    assertThat(SubConnState.ready(a).toString()).contains("READY", "4001");
    assertThat(SubConnState.of(ConnectivityState.READY).address()).isEmpty();
    assertThat(SubConnState.forTransientFailure(Status.UNAVAILABLE).address()).isEmpty();
    assertThatThrownBy(() -> SubConnState.ready(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("address");
  }
}
