package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallSettingsTest {
  private static CallSettings parse(String... argv) throws CliException {
    return CallSettings.parse(List.of(argv), ImageDefaults.NONE);
  }

  @Test
  void defaultsAreTenHealthChecksOneAtATime() throws Exception {
    CallSettings s = parse("dns:///orders:443");
    assertThat(s).isEqualTo(new CallSettings("dns:///orders:443", "grpc.health.v1.Health", "Check", "",
        10, 1, false, Duration.ofSeconds(5), Optional.empty(), Optional.empty()));
    assertThat(s.json()).isFalse();
    assertThat(s.fullMethodName()).isEqualTo("grpc.health.v1.Health/Check");
  }

  @Test
  void everyOptionIsRead() throws Exception {
    CallSettings s = parse("--lb", "round_robin", "-n", "1000", "--concurrency=8", "--plaintext",
        "--deadline", "250ms", "--method", "/demo.Echo/Echo", "127.0.0.1:50051");
    assertThat(s).isEqualTo(new CallSettings("127.0.0.1:50051", "demo.Echo", "Echo", "round_robin",
        1000, 8, true, Duration.ofMillis(250), Optional.empty(), Optional.empty()));
  }

  @Test
  void dataOrProtosetMakesAJsonCall() throws Exception {
    CallSettings s = parse("x:1", "--method", "a.B/C", "-d", "@-");
    assertThat(s.data()).contains("@-");
    assertThat(s.json()).isTrue();
    assertThat(parse("x:1", "--data={\"a\": 1}").data()).contains("{\"a\": 1}");
    CallSettings p = parse("x:1", "--protoset", "t.pb");
    assertThat(p.protoset()).contains("t.pb");
    assertThat(p.data()).isEmpty();
    assertThat(p.json()).isTrue();
  }

  @Test
  void dataGivenTwiceIsRejected() {
    assertThatThrownBy(() -> parse("x:1", "-d", "{}", "--data", "{}"))
        .hasMessage("call: -d and --data given (expected: one of them)");
  }

  @Test
  void manyCallsDoNotGoWithAJsonCall() {
    assertThatThrownBy(() -> parse("x:1", "--protoset", "t.pb", "--concurrency", "2"))
        .hasMessage("call: --concurrency does not go with --protoset (a JSON call is made once and"
            + " prints its responses)");
  }

  @Test
  void policyDefaultsToTheImagesDefault() throws Exception {
    assertThat(CallSettings.parse(List.of("x:1"), new ImageDefaults("", "round_robin")).policy())
        .isEqualTo("round_robin");
  }

  @Test
  void concurrencyIsCappedAtTheNumberOfCalls() throws Exception {
    assertThat(parse("x:1", "-n", "3", "--concurrency", "50").concurrency()).isEqualTo(3);
  }

  @Test
  void malformedMethodIsRejectedWithAnExample() {
    for (String bad : List.of("Check", "a/", "/b", "a/b/c")) {
      assertThatThrownBy(() -> parse("x:1", "--method", bad))
          .hasMessage("call: --method '" + bad
              + "' (expected: package.Service/Method, such as grpc.health.v1.Health/Check)");
    }
  }

  @Test
  void targetIsRequired() {
    assertThatThrownBy(() -> parse("-n", "5")).hasMessage("call: expected one target, got none");
  }

  @Test
  void badNumbersNameTheirRange() {
    assertThatThrownBy(() -> parse("x:1", "-n", "-1"))
        .hasMessage("call: -n -1 (expected: an integer 1-10000000)");
    assertThatThrownBy(() -> parse("x:1", "--concurrency", "0"))
        .hasMessage("call: --concurrency 0 (expected: an integer 1-1000)");
  }

  @Test
  void emptyPolicyIsRejected() {
    assertThatThrownBy(() -> parse("x:1", "--lb="))
        .hasMessage("call: --lb is empty (expected: a policy name such as round_robin)");
  }
}
