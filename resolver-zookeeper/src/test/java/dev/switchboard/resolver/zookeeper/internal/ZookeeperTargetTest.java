package dev.switchboard.resolver.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.testing.Targets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZookeeperTargetTest {

  static ZookeeperTarget parse(String target) {
    return ZookeeperTarget.parse(Targets.parse(target));
  }

  @Test
  void authorityIsTheEnsembleAndThePathsLastSegmentTheServiceName() {
    ZookeeperTarget t = parse("zk://zk1:2181,zk2:2182,10.0.0.3/services/orders");
    assertThat(t.ensemble()).contains("zk1:2181,zk2:2182,10.0.0.3:2181");
    assertThat(t.path()).isEqualTo("/services/orders");
    assertThat(t.serviceName()).isEqualTo("orders");
    assertThat(t.format()).isEqualTo(ZookeeperTarget.Format.CURATOR);
    assertThat(t.port()).isEqualTo("port");
  }

  @Test
  void serviceDirectlyUnderTheRootAndDeepBasePathsAreServices() {
    assertThat(parse("zk://zk1/orders").path()).isEqualTo("/orders");
    assertThat(parse("zk://zk1/a/b/c/orders").path()).isEqualTo("/a/b/c/orders");
    assertThat(parse("zk://zk1/a/b/c/orders").serviceName()).isEqualTo("orders");
  }

  @Test
  void targetWithoutAuthorityLeavesTheEnsembleToTheOptions() {
    assertThat(parse("zk:///services/orders").ensemble()).isEmpty();
  }

  @Test
  void ipv6ServersKeepTheirBrackets() {
    assertThat(parse("zk://[::1]:2182/s").ensemble()).contains("[::1]:2182");
    assertThat(parse("zk://[::1]/s").ensemble()).contains("[::1]:2181");
    // A URI's authority holds one bracketed literal: several go in the option.
    assertThat(ZookeeperTarget.ensemble("[::1]:2181,[::1],127.0.0.1", "option")).isEqualTo("[::1]:2181,[::1]:2181,127.0.0.1:2181");
  }

  @Test
  void queryChoosesTheFormatAndThePort() {
    ZookeeperTarget sslPort = parse("zk://zk1/services/orders?port=sslPort");
    assertThat(sslPort.port()).isEqualTo("sslPort");
    ZookeeperTarget serverSet = parse("zk://zk1/twitter/service/orders/prod?format=serverset");
    assertThat(serverSet.format()).isEqualTo(ZookeeperTarget.Format.SERVERSET);
    assertThat(serverSet.port()).isEqualTo("serviceEndpoint");
    assertThat(parse("zk://zk1/ss?format=ServerSet&port=http").port()).isEqualTo("http");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "zk://zk1:2181/|the endpoint is empty",
      "zk://zk1:2181|the endpoint is empty",
      "zk://zk1:2181//orders|has an empty segment",
      "zk://zk1:2181/services/|has an empty segment",
      "zk://zk1:2181/services/../orders|has a segment '..'",
      "zk://zk1:2181/./orders|has a segment '.'",
      "zk://zk1:65536/s|ensemble server 'zk1:65536'",
      "zk://zk1:0/s|ensemble server 'zk1:0'",
      "zk://zk1:21a1/s|ensemble server 'zk1:21a1'",
      "zk://:2181/s|ensemble server ':2181'",
      "zk://zk1:2181,,zk2/s|has an empty server",
      "zk://zk1:2181,/s|has an empty server",
      "zk://zk1/s?format=etcd|format 'etcd'",
      "zk://zk1/s?port=admin|port 'admin' (expected: port or sslPort)",
      "zk://zk1/s?port=|port is empty",
      "zk://zk1/s?port=port&port=sslPort|names 'port' twice",
      "zk://zk1/s?watch=true|unknown query parameter 'watch'",
  })
  void malformedTargetsAreRefusedNamingTheProblem(String target, String problem) {
    assertThatThrownBy(() -> parse(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + target + "'")
        .hasMessageContaining(problem);
  }

  @Test
  void portsAtTheLimitsAreTaken() {
    assertThat(parse("zk://zk1:1,zk2:65535/s").ensemble()).contains("zk1:1,zk2:65535");
  }

  @Test
  void controlCharactersThatZookeeperRefusesInPathsAreRefused() {
    assertThatThrownBy(() -> parse("zk://zk1/s%01x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("character 0x1");
  }

  @Test
  void aMalformedTargetFailsTheChannelsBuild() {
    assertThatThrownBy(() -> dev.switchboard.channel.core.ChannelBuilder.forTarget("zk://zk1:99999/services/orders").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ensemble server 'zk1:99999'");
  }
}
