package dev.switchboard.channel.api.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import org.junit.jupiter.api.Test;

class DoneInfoTest {

  @Test
  void aPickTheChannelDidNotUseSaysSoAndWhy() {
    Status reason = Status.UNAVAILABLE.withDescription("subconn no longer READY");
    DoneInfo info = DoneInfo.notStarted(reason);
    assertThat(info.status()).isSameAs(reason);
    assertThat(info.started()).isFalse();
    assertThat(info.sentToServer()).isFalse();
    assertThat(info.receivedFromServer()).isFalse();
    assertThat(info.trailers().keys()).isEmpty();
    assertThat(info).hasToString("DoneInfo{" + reason + ", not started}");
  }

  @Test
  void aFinishedCallCarriesItsTrailersAndHowFarItGot() {
    Metadata trailers = new Metadata();
    DoneInfo info = DoneInfo.newBuilder(Status.OK).trailers(trailers).started(true).sentToServer(true)
        .receivedFromServer(true).build();
    assertThat(info.trailers()).isSameAs(trailers);
    assertThat(info.started()).isTrue();
    assertThat(info.sentToServer()).isTrue();
    assertThat(info.receivedFromServer()).isTrue();
  }

  @Test
  void sentOrReceivedWithoutAStartedStreamIsRefused() {
    assertThatThrownBy(() -> DoneInfo.newBuilder(Status.OK).sentToServer(true).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> DoneInfo.newBuilder(Status.OK).receivedFromServer(true).build())
        .isInstanceOf(IllegalStateException.class);
  }
}
