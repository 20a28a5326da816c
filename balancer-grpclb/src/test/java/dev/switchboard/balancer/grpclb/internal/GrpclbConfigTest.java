package dev.switchboard.balancer.grpclb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.PluginRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing the {@code grpclb} config, as grpc-java's provider reads it. */
class GrpclbConfigTest {
  private final PluginRegistry registry = PluginRegistry.loadDefault();

  private ConfigOrError<GrpclbConfig> parse(Map<String, ?> raw) {
    return new GrpclbBalancerProvider().parseConfig(raw, registry);
  }

  private String error(Map<String, ?> raw) {
    ConfigOrError<GrpclbConfig> parsed = parse(raw);
    assertThat(parsed.isOk()).as("%s is rejected", raw).isFalse();
    assertThat(parsed.status().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    return parsed.status().description().orElseThrow();
  }

  @Test
  void emptyConfigMeansRoundRobinChildTheChannelAuthorityAndTenSeconds() {
    GrpclbConfig config = parse(Map.of()).config().orElseThrow();
    assertThat(config.childPolicy().policyName()).isEqualTo("round_robin");
    assertThat(config.serviceName()).isEmpty();
    assertThat(config.fallbackTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void serviceNameChildPolicyAndFallbackTimeoutAreRead() {
    GrpclbConfig config = parse(Map.of("serviceName", "echo.test",
        "childPolicy", List.of(Map.of("pick_first", Map.of())),
        "initialFallbackTimeout", "2.5s")).config().orElseThrow();
    assertThat(config.serviceName()).contains("echo.test");
    assertThat(config.childPolicy().policyName()).isEqualTo("pick_first");
    assertThat(config.fallbackTimeout()).isEqualTo(Duration.ofMillis(2_500));
  }

  @Test
  void unknownChildPoliciesAreSkippedForTheFirstOneGrpclbRuns() {
    GrpclbConfig config = parse(Map.of("childPolicy",
        List.of(Map.of("weighted_target", Map.of()), Map.of("round_robin", Map.of()))))
        .config().orElseThrow();
    assertThat(config.childPolicy().policyName()).isEqualTo("round_robin");
  }

  @Test
  void badFieldsAreErrorsNamingTheField() {
    assertThat(error(Map.of("serviceName", 42.0))).contains("serviceName: 42.0");
    assertThat(error(Map.of("serviceName", ""))).contains("serviceName");
    assertThat(error(Map.of("childPolicy", "round_robin"))).contains("childPolicy: 'round_robin'");
    assertThat(error(Map.of("childPolicy", List.of("round_robin")))).contains("childPolicy[0]");
    assertThat(error(Map.of("childPolicy", List.of(Map.of("xds", Map.of()))))).contains("round_robin or pick_first");
    assertThat(error(Map.of("initialFallbackTimeout", "10"))).contains("initialFallbackTimeout: '10'");
    assertThat(error(Map.of("initialFallbackTimeout", "-1s"))).contains("initialFallbackTimeout");
    assertThat(error(Map.of("initialFallbackTimeout", 10.0))).contains("initialFallbackTimeout");
  }

  @Test
  void unknownFieldsAreIgnored() {
    assertThat(parse(Map.of("future", true)).isOk()).isTrue();
  }

  @Test
  void equalConfigsAreEqualSoAnUnchangedConfigDoesNotStartOver() {
    assertThat(parse(Map.of("serviceName", "a")).config()).isEqualTo(parse(Map.of("serviceName", "a")).config());
    assertThat(parse(Map.of("serviceName", "a")).config()).isNotEqualTo(parse(Map.of("serviceName", "b")).config());
  }
}
