package dev.switchboard.resolver.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.testing.Targets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsulTargetTest {

  private static ConsulTarget parse(String target) {
    return ConsulTarget.parse(Targets.parse(target));
  }

  @Test
  void authorityIsTheAgentAndThePathTheService() {
    ConsulTarget t = parse("consul://10.0.0.5:8501/orders?tag=grpc&tag=v2&dc=eu-1&config=teams/orders");
    assertThat(t.agent()).hasValueSatisfying(a -> {
      assertThat(a.host()).isEqualTo("10.0.0.5");
      assertThat(a.port()).isEqualTo(8501);
    });
    assertThat(t.service()).isEqualTo("orders");
    assertThat(t.tags()).containsExactly("grpc", "v2");
    assertThat(t.datacenter()).contains("eu-1");
    assertThat(t.configKey()).isEqualTo("teams/orders");
  }

  @Test
  void defaultsLeaveTheAgentToTheEnvironmentAndNameADefaultConfigKey() {
    ConsulTarget t = parse("consul:///orders");
    assertThat(t.agent()).isEmpty();
    assertThat(t.tags()).isEmpty();
    assertThat(t.datacenter()).isEmpty();
    assertThat(t.configKey()).isEqualTo("grpc/service-config/orders");
    assertThat(parse("consul://agent/orders").agent().orElseThrow().port()).isEqualTo(8500);
  }

  @Test
  void queryValuesArePercentDecoded() {
    assertThat(parse("consul:///orders?tag=a%20b").tags()).containsExactly("a b");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "consul://agent:8500/|the endpoint is empty",
      "consul://agent:8500/a/b|service 'a/b' has a '/'",
      "consul://agent:99999/orders|agent 'agent:99999'",
      "consul://agent:0/orders|agent 'agent:0'",
      "consul://agent/orders?tag=|tag is empty",
      "consul://agent/orders?dc=|dc is empty",
      "consul://agent/orders?dc=a&dc=b|dc is given twice",
      "consul://agent/orders?config=/abs|config '/abs'",
      "consul://agent/orders?near=_agent|unknown query parameter 'near'",
  })
  void malformedTargetsAreRefusedNamingTheProblem(String target, String problem) {
    assertThatThrownBy(() -> parse(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + target + "'")
        .hasMessageContaining(problem);
  }

  @Test
  void aTokenInTheTargetIsRefusedSayingWhereTokensGo() {
    for (String target : List.of("consul://agent/orders?token=s3cr3t", "consul://s3cr3t@agent/orders",
        "consul://agent/orders?acl_token=x")) {
      assertThatThrownBy(() -> parse(target))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("consul.token")
          .hasMessageContaining("CONSUL_HTTP_TOKEN")
          .hasMessageContaining("logs");
    }
  }

  @Test
  void aMalformedTargetFailsTheChannelsBuild() {
    assertThatThrownBy(() -> dev.switchboard.channel.core.ChannelBuilder.forTarget("consul://agent/orders?token=s3cr3t").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consul.token");
  }
}
