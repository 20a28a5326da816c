package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class ResolveCommandTest {
  private static final Attributes.Key<String> ZONE = Attributes.Key.create("zone");
  private static final Attributes.Key<Integer> WEIGHT = Attributes.Key.create("weight");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<ClientConn> conn = new AtomicReference<>();

  /** A registry whose "test" resolver runs {@code onStart} inline in newResolver. */
  private PluginRegistry registry(BiConsumer<Target, ClientConn> onStart) {
    return PluginRegistry.newBuilder().addResolverProvider(new ResolverProvider() {
      @Override
      public String scheme() {
        return "test";
      }

      @Override
      public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
        conn.set(clientConn);
        onStart.accept(target, clientConn);
        return new Resolver() {
          @Override
          public void resolveNow() {}

          @Override
          public void close() {
            closed.set(true);
          }
        };
      }
    }).addResolverProvider(TestProviders.resolver("dns", 5, true)).build();
  }

  private String out() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void oncePrintsTheFirstStateWithAddressesAttributesAndServiceConfig() throws Exception {
    PluginRegistry registry = registry((t, cc) -> cc.updateState(ResolverState.newBuilder()
        .addresses(List.of(
            Address.of(new InetSocketAddress("127.0.0.1", 50051)),
            Address.newBuilder(new InetSocketAddress("::1", 50052)).attributes(Attributes.newBuilder().set(ZONE, "b").build()).build()))
        .attributes(Attributes.newBuilder().set(ZONE, "all").build())
        .serviceConfig(cc.parseServiceConfig("{\"loadBalancingConfig\":[{\"pick_first\":{}}]}"))
        .build()));
    new ResolveCommand(registry, out).run("test:///svc", "passthrough", true, TIMEOUT, PluginOptions.NONE);
    assertThat(out()).isEqualTo("#1 update: 2 addresses\n"
        + "  127.0.0.1:50051\n"
        + "  [0:0:0:0:0:0:0:1]:50052 {zone=b}\n"
        + "  attributes: {zone=all}\n"
        + "  service config: {\"loadBalancingConfig\":[{\"pick_first\":{}}]}\n");
    assertThat(closed).isTrue();
  }

  @Test
  void balancerAttributesOfEachAddressArePrintedAfterItsAttributes() {
    Attributes weight = Attributes.newBuilder().set(WEIGHT, 3).set(ZONE, "a").build();
    ResolverState state = ResolverState.newBuilder()
        .addresses(List.of(
            Address.newBuilder(new InetSocketAddress("127.0.0.1", 50051)).balancerAttributes(weight).build(),
            Address.newBuilder(new InetSocketAddress("127.0.0.1", 50052))
                .attributes(Attributes.newBuilder().set(ZONE, "b").build()).balancerAttributes(weight).build(),
            Address.newBuilder(new InetSocketAddress("127.0.0.1", 50053))
                .attributes(Attributes.newBuilder().set(ZONE, "c").build()).build()))
        .build();
    assertThat(ResolveCommand.format(1, state)).isEqualTo("#1 update: 3 addresses\n"
        + "  127.0.0.1:50051 balancer{weight=3, zone=a}\n"
        + "  127.0.0.1:50052 {zone=b} balancer{weight=3, zone=a}\n"
        + "  127.0.0.1:50053 {zone=c}\n"
        + "  service config: none from the resolver\n");
  }

  @Test
  void targetWithoutSchemeGetsTheDefaultScheme() throws Exception {
    PluginRegistry registry = registry((t, cc) -> cc.reportError(
        Status.UNAVAILABLE.withDescription("scheme " + t.scheme() + ", endpoint " + t.endpoint())));
    assertThatThrownBy(() -> new ResolveCommand(registry, out).run("orders:443", "test", true, TIMEOUT, PluginOptions.NONE))
        .hasMessage("target 'orders:443': UNAVAILABLE: scheme test, endpoint orders:443");
  }

  @Test
  void stateWithoutServiceConfigSaysSo() {
    assertThat(ResolveCommand.format(3, ResolverState.newBuilder().build()))
        .isEqualTo("#3 update: 0 addresses\n  service config: none from the resolver\n");
  }

  @Test
  void validServiceConfigIsPrintedAsItsJson() {
    PluginRegistry registry = PluginRegistry.newBuilder().build();
    String json = "{\"methodConfig\":[{\"name\":[{\"service\":\"s\"}],\"timeout\":\"1s\"}]}";
    ResolverState state = ResolverState.newBuilder()
        .serviceConfig(new dev.switchboard.channel.core.internal.config.ServiceConfigParser(registry)
            .parse(json))
        .build();
    assertThat(ResolveCommand.format(1, state)).endsWith("  service config: " + json + "\n");
  }

  @Test
  void onceFailsWithTheFirstErrorOnOneLine() {
    PluginRegistry registry = registry((t, cc) -> cc.reportError(
        Status.UNAVAILABLE.withDescription("no such host: " + t.endpoint())));
    assertThatThrownBy(() -> new ResolveCommand(registry, out).run("test:///nope", "passthrough", true, TIMEOUT, PluginOptions.NONE))
        .isInstanceOf(CliException.class)
        .hasMessage("target 'test:///nope': UNAVAILABLE: no such host: nope");
    assertThat(out()).isEmpty();
    assertThat(closed).isTrue();
  }

  @Test
  void onceFailsWhenTheResolverSaysNothingInTime() {
    PluginRegistry registry = registry((t, cc) -> {});
    assertThatThrownBy(() -> new ResolveCommand(registry, out)
            .run("test:///quiet", "passthrough", true, Duration.ofMillis(50), PluginOptions.NONE))
        .hasMessage("target 'test:///quiet': no answer from the test resolver within 50 ms");
    assertThat(closed).isTrue();
  }

  @Test
  void unknownSchemeListsTheAvailableSchemes() {
    PluginRegistry registry = registry((t, cc) -> {});
    assertThatThrownBy(() -> new ResolveCommand(registry, out).run("nope:///x", "passthrough", true, TIMEOUT, PluginOptions.NONE))
        .hasMessage("target 'nope:///x': no resolver for scheme 'nope' (available: [consul, dns,"
            + " passthrough, test, zk])");
  }

  @Test
  void targetTheResolverRejectsIsAFailureWithItsMessage() {
    PluginRegistry registry = registry((t, cc) -> {
      throw new IllegalArgumentException("endpoint '" + t.endpoint() + "' (expected: host:port)");
    });
    assertThatThrownBy(() -> new ResolveCommand(registry, out).run("test:///a:b:c", "passthrough", true, TIMEOUT, PluginOptions.NONE))
        .hasMessage("target 'test:///a:b:c': endpoint 'a:b:c' (expected: host:port)");
  }

  @Test
  void withoutOnceItPrintsUpdatesAndErrorsUntilInterrupted() throws Exception {
    PluginRegistry registry = registry((t, cc) -> cc.updateState(ResolverState.newBuilder().build()));
    AtomicReference<Throwable> ended = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        new ResolveCommand(registry, out).run("test:///svc", "passthrough", false, TIMEOUT, PluginOptions.NONE);
      } catch (Throwable e) {
        ended.set(e);
      }
    });
    runner.start();
    awaitOutput("#1 update");
    conn.get().reportError(Status.UNAVAILABLE.withDescription("gone"));
    conn.get().updateState(ResolverState.newBuilder()
        .addresses(List.of(Address.of(new InetSocketAddress("127.0.0.1", 1)))).build());
    awaitOutput("#3 update: 1 address\n");
    runner.interrupt();
    runner.join(5_000);
    assertThat(runner.isAlive()).isFalse();
    assertThat(ended.get()).isInstanceOf(InterruptedException.class);
    assertThat(out()).contains("#2 error: UNAVAILABLE: gone\n");
    assertThat(closed).isTrue();
  }

  private void awaitOutput(String text) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!out().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in: " + out());
      }
      Thread.sleep(5);
    }
  }
}
