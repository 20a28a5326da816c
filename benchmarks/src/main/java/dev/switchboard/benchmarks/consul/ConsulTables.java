package dev.switchboard.benchmarks.consul;

import dev.switchboard.benchmarks.SingleShotTables;
import java.io.IOException;

/**
 * The table of {@link ConsulResolverBenchmark}'s JMH results ({@code -rf json}), by {@link SingleShotTables}.
 *
 * <p>Usage: {@code ConsulTables FILE.json}; the table goes to standard output. Not thread-safe (a main).
 */
public final class ConsulTables {

  private ConsulTables() {}

  public static void main(String[] args) throws IOException {
    System.out.print(SingleShotTables.render(SingleShotTables.read(args[0]),
        "consul resolver: registered instances to a READY picker", "ConsulResolverBenchmark", row -> switch (row) {
          case "channelToReadyPicker:consul" ->
              "channel `consul://…/bench` to a READY picker, default options (health and KV watch)";
          case "channelToReadyPicker:consul-no-config" ->
              "channel `consul://…/bench` to a READY picker, `consul.service-config=false` (health watch)";
          case "channelToReadyPicker:manual" ->
              "reference: channel with the `manual` resolver, the same addresses, to a READY picker";
          case "healthQuery:" ->
              "floor: the health endpoint's answer alone (JDK HTTP client, kept-alive, gzip as the resolver asks; "
                  + "compressed body read, not decompressed or parsed)";
          default -> null;
        }));
  }
}
