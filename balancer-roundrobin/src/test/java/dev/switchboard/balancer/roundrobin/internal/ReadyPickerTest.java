package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.balancer.PickResult;
import org.junit.jupiter.api.Test;

class ReadyPickerTest {

  @Test
  void sizeOutsideTheArrayIsRejected() {
    PickResult[] results = {PickResult.withNoResult()};
    StripedCounter counter = new StripedCounter();

    assertThatThrownBy(() -> new ReadyPicker(results, 0, counter))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("size: 0 (expected: 1-1)");
    assertThatThrownBy(() -> new ReadyPicker(results, 2, counter))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("size: 2 (expected: 1-1)");
  }
}
