package dev.switchboard.benchmarks.zookeeper;

import dev.switchboard.benchmarks.SingleShotTables;
import java.io.IOException;

/**
 * The table of {@link ZookeeperResolverBenchmark}'s JMH results ({@code -rf json}), by {@link SingleShotTables}.
 *
 * <p>Usage: {@code ZookeeperTables FILE.json}; the table goes to standard output. Not thread-safe (a main).
 */
public final class ZookeeperTables {

  private ZookeeperTables() {}

  public static void main(String[] args) throws IOException {
    System.out.print(SingleShotTables.render(SingleShotTables.read(args[0]),
        "zk resolver: registered instances to a READY picker", "ZookeeperResolverBenchmark", row -> switch (row) {
          case "channelToReadyPicker:zk-new-session" ->
              "channel `zk://…/services/bench` to a READY picker, its resolver opening the session";
          case "channelToReadyPicker:zk-shared-session" ->
              "channel `zk://…/services/bench` to a READY picker, the session already open (shared)";
          case "channelToReadyPicker:manual" ->
              "reference: channel with the `manual` resolver, the same addresses, to a READY picker";
          case "curatorCacheInitialized:" ->
              "floor: Curator's `CuratorCache` alone on an open session, until initialized";
          default -> null;
        }));
  }
}
