package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class CallOptionsTest {

  private static final CallOptions.Key<String> TENANT = CallOptions.Key.create("tenant");
  private static final Metadata.Key<String> USER = Metadata.Key.of("x-user", Metadata.ASCII_STRING_MARSHALLER);

  @Test
  void defaultHasNothingSet() {
    CallOptions d = CallOptions.DEFAULT;

    assertThat(d.deadline()).isEmpty();
    assertThat(d.waitForReady()).isEmpty();
    assertThat(d.isWaitForReady()).isFalse();
    assertThat(d.compression()).isEmpty();
    assertThat(d.maxInboundMessageSize()).isEmpty();
    assertThat(d.maxOutboundMessageSize()).isEmpty();
    assertThat(d.authority()).isEmpty();
    assertThat(d.executor()).isEmpty();
    assertThat(d.extraHeaders()).isEmpty();
    assertThat(d.option(TENANT)).isEmpty();
  }

  @Test
  void everyWithReturnsANewInstanceAndLeavesTheOriginalAlone() {
    Executor direct = Runnable::run;
    Deadline deadline = Deadline.after(Duration.ofSeconds(5));

    CallOptions o = CallOptions.DEFAULT
        .withDeadline(deadline)
        .withWaitForReady()
        .withCompression("gzip")
        .withMaxInboundMessageSize(10)
        .withMaxOutboundMessageSize(20)
        .withAuthority("svc.example")
        .withExecutor(direct)
        .withOption(TENANT, "acme");

    assertThat(o).isNotSameAs(CallOptions.DEFAULT);
    assertThat(o.deadline()).containsSame(deadline);
    assertThat(o.isWaitForReady()).isTrue();
    assertThat(o.compression()).contains("gzip");
    assertThat(o.maxInboundMessageSize()).hasValue(10);
    assertThat(o.maxOutboundMessageSize()).hasValue(20);
    assertThat(o.authority()).contains("svc.example");
    assertThat(o.executor()).containsSame(direct);
    assertThat(o.option(TENANT)).contains("acme");
    assertThat(CallOptions.DEFAULT.deadline()).isEmpty();
    assertThat(CallOptions.DEFAULT.option(TENANT)).isEmpty();
  }

  @Test
  void derivedOptionsDoNotShareCustomOptions() {
    CallOptions base = CallOptions.DEFAULT.withOption(TENANT, "a");
    CallOptions.Key<Integer> other = CallOptions.Key.create("other");

    CallOptions derived = base.withOption(TENANT, "b").withOption(other, 1);

    assertThat(base.option(TENANT)).contains("a");
    assertThat(base.option(other)).isEmpty();
    assertThat(derived.option(TENANT)).contains("b");
  }

  @Test
  void withoutUndoesWith() {
    CallOptions o = CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(1)).withWaitForReady();

    CallOptions undone = o.withoutDeadline().withoutWaitForReady();

    assertThat(undone.deadline()).isEmpty();
    assertThat(undone.waitForReady()).contains(false);
    assertThat(undone.isWaitForReady()).isFalse();
  }

  @Test
  void customKeysCompareByIdentity() {
    CallOptions o = CallOptions.DEFAULT.withOption(TENANT, "acme");

    assertThat(o.option(CallOptions.Key.<String>create("tenant"))).isEmpty();
    assertThat(TENANT).hasToString("tenant");
  }

  @Test
  void extraHeadersAreACopyTakenWhenSet() {
    Metadata headers = new Metadata();
    headers.put(USER, "alice");

    CallOptions o = CallOptions.DEFAULT.withExtraHeaders(headers);
    headers.put(USER, "mallory");

    assertThat(o.extraHeaders()).hasValueSatisfying(h -> {
      assertThat(h).isNotSameAs(headers);
      assertThat(h.getAll(USER)).containsExactly("alice");
    });
  }

  @Test
  void negativeMessageSizesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> CallOptions.DEFAULT.withMaxInboundMessageSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes: -1 (expected: >= 0)");
    assertThatThrownBy(() -> CallOptions.DEFAULT.withMaxOutboundMessageSize(-2))
        .hasMessage("bytes: -2 (expected: >= 0)");
    assertThat(CallOptions.DEFAULT.withMaxInboundMessageSize(0).maxInboundMessageSize()).hasValue(0);
  }

  @Test
  void nullArgumentsAreRefusedByName() {
    assertThatThrownBy(() -> CallOptions.DEFAULT.withDeadline(null)).hasMessage("deadline");
    assertThatThrownBy(() -> CallOptions.DEFAULT.withExtraHeaders(null)).hasMessage("headers");
    assertThatThrownBy(() -> CallOptions.DEFAULT.withOption(TENANT, null)).hasMessage("value");
  }
}
