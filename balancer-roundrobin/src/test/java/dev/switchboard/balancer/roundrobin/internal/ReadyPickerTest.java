package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.balancer.PickResult;
import org.junit.jupiter.api.Test;

class ReadyPickerTest {

  @Test
  void stripesArePowersOfTwoCoveringTheProcessorsUpToSixteen() {
    assertThat(ReadyPicker.stripesFor(1)).isEqualTo(1);
    assertThat(ReadyPicker.stripesFor(2)).isEqualTo(2);
    assertThat(ReadyPicker.stripesFor(3)).isEqualTo(4);
    assertThat(ReadyPicker.stripesFor(8)).isEqualTo(8);
    assertThat(ReadyPicker.stripesFor(9)).isEqualTo(16);
    assertThat(ReadyPicker.stripesFor(256)).isEqualTo(16);
  }

  @Test
  void sizeOutsideTheArrayIsRejected() {
    PickResult[] results = {PickResult.withNoResult()};

    assertThatThrownBy(() -> new ReadyPicker(results, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("size: 0 (expected: 1-1)");
    assertThatThrownBy(() -> new ReadyPicker(results, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("size: 2 (expected: 1-1)");
  }
}
