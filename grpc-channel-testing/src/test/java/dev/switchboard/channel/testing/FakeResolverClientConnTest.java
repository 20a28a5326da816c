package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FakeResolverClientConnTest {

  private final FakeResolverClientConn conn = FakeResolverClientConn.withParser(
      json -> ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("bad: " + json)));

  @Test
  void statesAndErrorsAreRecordedInOrder() {
    ResolverState first = ResolverState.newBuilder().build();
    ResolverState second = ResolverState.newBuilder().build();

    conn.updateState(first);
    conn.reportError(Status.UNAVAILABLE);
    conn.updateState(second);

    assertThat(conn.events()).hasSize(3);
    assertThat(conn.events().get(1)).isInstanceOf(FakeResolverClientConn.Event.Error.class);
    assertThat(conn.states()).containsExactly(first, second);
    assertThat(conn.errors()).containsExactly(Status.UNAVAILABLE);
  }

  @Test
  void updateStateAnswersTheConfiguredStatus() {
    assertThat(conn.updateState(ResolverState.newBuilder().build()).isOk()).isTrue();

    conn.setUpdateStateResult(Status.UNAVAILABLE.withDescription("no addresses"));

    assertThat(conn.updateState(ResolverState.newBuilder().build()).code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void awaitStateReturnsAStateReportedByAnotherThread() {
    ResolverState state = ResolverState.newBuilder().build();
    CompletableFuture.runAsync(() -> conn.updateState(state));

    assertThat(conn.awaitState(Duration.ofSeconds(5))).isSameAs(state);
  }

  @Test
  void awaitErrorFailsWithWhatWasReportedWhenNothingArrives() {
    conn.updateState(ResolverState.newBuilder().build());

    assertThatThrownBy(() -> conn.awaitError(Duration.ofMillis(20)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected an error within")
        .hasMessageContaining("State[");
  }

  @Test
  void callbackRunsInlineAfterEachEvent() {
    AtomicInteger seenBefore = new AtomicInteger(-1);
    conn.onEvent(() -> seenBefore.set(conn.eventCount()));

    conn.reportError(Status.UNAVAILABLE);

    assertThat(seenBefore).hasValue(1);
  }

  @Test
  void assertNoEventsAfterFailsOnALateEvent() {
    conn.reportError(Status.UNAVAILABLE);

    conn.assertNoEventsAfter(1, Duration.ofMillis(10));
    assertThatThrownBy(() -> conn.assertNoEventsAfter(0, Duration.ofMillis(10)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("UNAVAILABLE");
  }

  @Test
  void createdConnParsesServiceConfigsWithTheChannelsParser() {
    FakeResolverClientConn real = FakeResolverClientConn.create();

    ConfigOrError<ServiceConfig> broken = real.parseServiceConfig("{");
    ConfigOrError<ServiceConfig> empty = real.parseServiceConfig("{}");

    assertThat(broken.status().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(broken.status().description()).hasValueSatisfying(d -> assertThat(d).startsWith("service config:"));
    assertThat(empty.isOk()).as("%s", empty).isTrue();
    assertThat(empty.config().orElseThrow().json()).isEqualTo("{}");
  }

  @Test
  void parseServiceConfigUsesTheGivenParser() {
    assertThat(conn.parseServiceConfig("{x}").status().description()).contains("bad: {x}");
  }
}
