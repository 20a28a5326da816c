package dev.switchboard.channel.api.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class PickResultTest {

  private static final SubConn SUB_CONN = new SubConn() {
    @Override
    public void connect() {}

    @Override
    public void shutdown() {}

    @Override
    public void updateAddresses(List<Address> addresses) {}

    @Override
    public List<Address> addresses() {
      return List.of();
    }

    @Override
    public Attributes attributes() {
      return Attributes.EMPTY;
    }
  };

  @Test
  void withSubConnCompletesOnItWithTheNoOpListener() {
    PickResult r = PickResult.withSubConn(SUB_CONN);

    assertThat(r).isInstanceOfSatisfying(PickResult.Complete.class, c -> {
      assertThat(c.subConn()).isSameAs(SUB_CONN);
      assertThat(c.listener()).isSameAs(PickListener.NONE);
      c.listener().onStarted();
      c.listener().onDone(DoneInfo.newBuilder(Status.OK).started(true).sentToServer(true).build());
    });
  }

  @Test
  void withSubConnKeepsTheListener() {
    PickListener listener = info -> {};

    assertThat(((PickResult.Complete) PickResult.withSubConn(SUB_CONN, listener)).listener()).isSameAs(listener);
  }

  @Test
  void withSubConnAndHeadersKeepsTheHeadersAndOtherResultsHaveNone() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("lb-token", Metadata.ASCII_STRING_MARSHALLER), "t1");

    PickResult.Complete c = (PickResult.Complete) PickResult.withSubConn(SUB_CONN, PickListener.NONE, headers);

    assertThat(c.headers()).containsSame(headers);
    assertThat(((PickResult.Complete) PickResult.withSubConn(SUB_CONN)).headers()).isEmpty();
    assertThat(((PickResult.Complete) PickResult.withSubConn(SUB_CONN, info -> {})).headers()).isEmpty();
    assertThatThrownBy(() -> PickResult.withSubConn(SUB_CONN, PickListener.NONE, null)).hasMessage("headers");
  }

  @Test
  void noResultIsOneSharedValue() {
    assertThat(PickResult.withNoResult()).isSameAs(PickResult.NO_RESULT).isInstanceOf(PickResult.Queue.class);
  }

  @Test
  void errorsAndDropsCarryTheirStatus() {
    Status error = Status.UNAVAILABLE.withDescription("no backend");

    assertThat(PickResult.withError(error)).isEqualTo(PickResult.withError(error))
        .isInstanceOfSatisfying(PickResult.Fail.class, f -> assertThat(f.status()).isSameAs(error));
    assertThat(((PickResult.Drop) PickResult.withDrop(error)).status()).isSameAs(error);
  }

  @Test
  void okIsNeitherAnErrorNorADrop() {
    assertThatThrownBy(() -> PickResult.withError(Status.OK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status: OK (expected: an error)");
    assertThatThrownBy(() -> PickResult.withDrop(Status.OK)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullsAreRefusedByName() {
    assertThatThrownBy(() -> PickResult.withSubConn(null)).hasMessage("subConn");
    assertThatThrownBy(() -> PickResult.withSubConn(SUB_CONN, null)).hasMessage("listener");
    assertThatThrownBy(() -> PickResult.withError(null)).hasMessage("status");
  }

  @Test
  void pickerOfGivesTheSameResultEveryTime() {
    PickResult r = PickResult.withSubConn(SUB_CONN);
    Picker p = Picker.of(r);

    assertThat(p.pick(null)).isSameAs(r);
    assertThat(p.pick(null)).isSameAs(r);
  }
}
