package dev.switchboard.resolver.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.backend.TestBackend;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** Channels to one ensemble share one ZooKeeper session, as the server itself counts them. */
class ZookeeperSharedSessionTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void hundredChannelsOnTenServicesHoldOneSessionThatTheLastShutdownCloses() throws Exception {
    try (TestingServer server = ZooKeeperPeer.start();
        ZooKeeperPeer.Registrant registrant = new ZooKeeperPeer.Registrant(server.getConnectString());
        TestBackend backend = TestBackend.newBuilder().address(new InetSocketAddress("127.0.0.1", 0))
            .build().start()) {
      int port = server.getPort();
      for (int s = 0; s < 10; s++) {
        registrant.register("orders" + s, "a", backend.port());
      }
      // The registrant's session and mntr's own connection.
      int connectionsBefore = 2;
      Await.until("only the registrant connected", WAIT, () -> ZookeeperSessions.openSessions() == 0
          && ZooKeeperPeer.connectionsUnchecked(port) == connectionsBefore);

      List<ManagedChannel> channels = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          ManagedChannel channel = ChannelBuilder.forTarget(
              "zk://127.0.0.1:" + port + "/services/orders" + (i % 10)).usePlaintext().build();
          channels.add(channel);
          channel.state(true);
        }
        for (ManagedChannel channel : channels) {
          Await.until("every channel READY", WAIT, () -> channel.state(true) == ConnectivityState.READY);
        }
        assertThat(ZookeeperSessions.openSessions()).isEqualTo(1);
        assertThat(ZooKeeperPeer.connections(port)).isEqualTo(connectionsBefore + 1);

        for (ManagedChannel channel : channels.subList(0, 99)) {
          channel.shutdownNow();
        }
        assertThat(ZookeeperSessions.openSessions()).as("one channel still holds it").isEqualTo(1);
        assertThat(ZooKeeperPeer.connections(port)).isEqualTo(connectionsBefore + 1);
      } finally {
        channels.forEach(ManagedChannel::shutdownNow);
      }
      Await.until("the session closed", WAIT, () -> ZookeeperSessions.openSessions() == 0);
      Await.until("its connection closed", WAIT,
          () -> ZooKeeperPeer.connectionsUnchecked(port) == connectionsBefore);
    }
  }
}
