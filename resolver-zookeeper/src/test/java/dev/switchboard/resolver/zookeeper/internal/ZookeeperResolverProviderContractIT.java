package dev.switchboard.resolver.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.testing.ResolverProviderContractTest;
import dev.switchboard.channel.testing.Targets;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zk provider, as published (the shaded jar with its descriptor: failsafe runs this against it,
 * not against target/classes), passes the testing kit's resolver contract against a real ZooKeeper.
 */
class ZookeeperResolverProviderContractIT extends ResolverProviderContractTest {
  private static TestingServer server;
  private static ZooKeeperPeer.Registrant registrant;

  @BeforeAll
  static void startZookeeper() throws Exception {
    server = ZooKeeperPeer.start();
    registrant = new ZooKeeperPeer.Registrant(server.getConnectString());
    registrant.register("orders", "a", 50051);
  }

  @AfterAll
  static void stopZookeeper() throws Exception {
    registrant.close();
    server.close();
  }

  @Override
  protected ResolverProvider provider() {
    return new ZookeeperResolverProvider();
  }

  @Override
  protected Target validTarget() {
    return Targets.parse("zk://127.0.0.1:" + server.getPort() + "/services/orders");
  }

  @Override
  protected Optional<Target> invalidTarget() {
    return Optional.of(Targets.parse("zk://127.0.0.1:" + server.getPort() + "/services//orders"));
  }

  @Test
  void runsAgainstThePublishedJarWithCuratorRelocatedInsideIt() {
    assertThat(ZookeeperResolverProvider.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith(".jar");
    assertThat(ZookeeperResolverProvider.class.getClassLoader()
        .getResource("dev/switchboard/resolver/zookeeper/internal/shaded/org/apache/zookeeper/ZooKeeper.class"))
        .isNotNull();
  }
}
