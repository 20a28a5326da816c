package dev.switchboard.channel.api.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import java.util.List;
import java.util.function.Consumer;
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
  void withSubConnCompletesOnItWithANoOpCallback() {
    PickResult r = PickResult.withSubConn(SUB_CONN);

    assertThat(r).isInstanceOfSatisfying(PickResult.Complete.class, c -> {
      assertThat(c.subConn()).isSameAs(SUB_CONN);
      c.onDone().accept(new DoneInfo(Status.OK, new Metadata(), true, true));
    });
  }

  @Test
  void withSubConnKeepsTheDoneCallback() {
    Consumer<DoneInfo> onDone = info -> {};

    assertThat(((PickResult.Complete) PickResult.withSubConn(SUB_CONN, onDone)).onDone()).isSameAs(onDone);
  }

  @Test
  void noResultIsOneSharedValue() {
    assertThat(PickResult.withNoResult()).isSameAs(PickResult.NO_RESULT).isInstanceOf(PickResult.Queue.class);
  }

  @Test
  void errorsAndDropsCarryTheirStatus() {
    Status error = Status.UNAVAILABLE.withDescription("no backend");

    assertThat(PickResult.withError(error)).isEqualTo(new PickResult.Fail(error));
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
    assertThatThrownBy(() -> PickResult.withSubConn(SUB_CONN, null)).hasMessage("onDone");
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
