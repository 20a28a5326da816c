package dev.switchboard.balancer.roundrobin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StripedCounterTest {

  @Test
  void stripesArePowersOfTwoCoveringTheProcessorsUpToSixteen() {
    assertThat(StripedCounter.stripesFor(1)).isEqualTo(1);
    assertThat(StripedCounter.stripesFor(2)).isEqualTo(2);
    assertThat(StripedCounter.stripesFor(3)).isEqualTo(4);
    assertThat(StripedCounter.stripesFor(8)).isEqualTo(8);
    assertThat(StripedCounter.stripesFor(9)).isEqualTo(16);
    assertThat(StripedCounter.stripesFor(256)).isEqualTo(16);
  }

  @Test
  void oneThreadCountsUpByOneFromZero() {
    StripedCounter counter = new StripedCounter();

    assertThat(counter.next()).isZero();
    assertThat(counter.next()).isEqualTo(1);
    assertThat(counter.next()).isEqualTo(2);
  }
}
