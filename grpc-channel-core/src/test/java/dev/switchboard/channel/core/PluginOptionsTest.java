package dev.switchboard.channel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the channel hands its plugins: options the application set, the default port, the authority. */
class PluginOptionsTest {
  private static final PluginOption<Boolean> FLAG = PluginOption.ofBoolean("test.flag", false);
  private static final PluginOption<Duration> INTERVAL =
      PluginOption.ofDuration("test.interval", Duration.ofSeconds(30));
  private static final PluginOption<String> MODE = PluginOption.ofString("test.mode", "fast");

  /** Captures the arguments of the resolver and balancer a channel creates. */
  private static final class Capture implements ResolverProvider, BalancerProvider<Object> {
    final CompletableFuture<ResolverArgs> resolverArgs = new CompletableFuture<>();
    final CompletableFuture<BalancerArgs> balancerArgs = new CompletableFuture<>();

    @Override
    public String scheme() {
      return "capture";
    }

    @Override
    public String policyName() {
      return "capture";
    }

    @Override
    public Resolver newResolver(Target target, dev.switchboard.channel.api.resolver.ClientConn conn,
        ResolverArgs args) {
      resolverArgs.complete(args);
      conn.updateState(TestSupport.state(InMemoryTransportFactory.address(1)));
      return new Resolver() {
        @Override
        public void resolveNow() {}

        @Override
        public void close() {}
      };
    }

    @Override
    public dev.switchboard.channel.api.ConfigOrError<Object> parseConfig(java.util.Map<String, ?> raw,
        dev.switchboard.channel.api.balancer.BalancerRegistry registry) {
      return dev.switchboard.channel.api.ConfigOrError.of(raw);
    }

    @Override
    public Balancer<Object> newBalancer(ClientConn clientConn, BalancerArgs args) {
      balancerArgs.complete(args);
      return new Balancer<>() {
        @Override
        public Status updateClientConnState(ClientConnState<Object> state) {
          return Status.OK;
        }

        @Override
        public void resolverError(Status error) {}

        @Override
        public void close() {}
      };
    }

    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public int priority() {
      return 5;
    }

    @Override
    public java.util.List<PluginOption<?>> options() {
      return java.util.List.of(FLAG, INTERVAL, MODE);
    }
  }

  private static Capture channel(String target, UnaryOperator<ChannelBuilder> setup) throws Exception {
    Capture capture = new Capture();
    FakeClock clock = new FakeClock();
    ManagedChannel channel = setup.apply(ChannelBuilder.forTarget(target)
        .pluginRegistry(TestSupport.builtinsOnly())
        .resolverProvider(capture)
        .balancerProvider(capture)
        .defaultLoadBalancingPolicy("capture")
        .scheduler(clock.scheduler())
        .transportFactory(new InMemoryTransportFactory(clock.scheduler()))).build();
    try {
      channel.state(true);
      capture.resolverArgs.get(10, TimeUnit.SECONDS);
      capture.balancerArgs.get(10, TimeUnit.SECONDS);
    } finally {
      channel.shutdownNow();
    }
    return capture;
  }

  @Test
  void optionsSetOnTheBuilderReachTheResolverAndTheBalancer() throws Exception {
    Capture capture = channel("capture:///orders", b -> b
        .resolverOption(FLAG, true)
        .resolverOption(INTERVAL, Duration.ofSeconds(5))
        .resolverOption(INTERVAL, Duration.ofSeconds(7))
        .balancerOption(MODE, "careful"));
    ResolverArgs resolverArgs = capture.resolverArgs.get();
    assertThat(resolverArgs.option(FLAG)).isTrue();
    assertThat(resolverArgs.option(INTERVAL)).as("set twice: the last wins").isEqualTo(Duration.ofSeconds(7));
    assertThat(resolverArgs.option(MODE)).as("a balancer option is not a resolver's").isEqualTo("fast");
    assertThat(resolverArgs.options().isSet(MODE)).isFalse();
    BalancerArgs balancerArgs = capture.balancerArgs.get();
    assertThat(balancerArgs.option(MODE)).isEqualTo("careful");
    assertThat(balancerArgs.option(FLAG)).as("unset: the default").isFalse();
  }

  @Test
  void theDefaultPortIsTheTransportsAndTheAuthorityAndConfigChoiceArePassedOn() throws Exception {
    ResolverArgs tls = channel("capture:///orders", b -> b).resolverArgs.get();
    assertThat(tls.defaultPort()).isEqualTo(443);
    assertThat(tls.authority()).isEqualTo("orders");
    assertThat(tls.serviceConfigIgnored()).isFalse();

    ResolverArgs plain = channel("capture:///orders", b -> b.usePlaintext().overrideAuthority("o.example:8443")
        .ignoreResolverServiceConfig()).resolverArgs.get();
    assertThat(plain.defaultPort()).isEqualTo(80);
    assertThat(plain.authority()).isEqualTo("o.example:8443");
    assertThat(plain.serviceConfigIgnored()).isTrue();
  }

  @Test
  void optionsParseTheirTextFormOrSayWhatTheyExpect() {
    assertThat(FLAG.parse("TRUE")).isTrue();
    assertThat(INTERVAL.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(INTERVAL.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> FLAG.parse("yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option test.flag: 'yes' (expected: true or false)");
    assertThatThrownBy(() -> INTERVAL.parse("soon"))
        .hasMessageContaining("option test.interval: 'soon'").hasMessageContaining("250ms");
    assertThatThrownBy(() -> PluginOption.ofBoolean("Bad Name", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad Name'");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Test
  void aValueOfTheWrongTypeIsRefusedNamingTheOption() {
    PluginOption raw = FLAG;
    assertThatThrownBy(() -> ChannelBuilder.forTarget("x").resolverOption(raw, "true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option test.flag: a java.lang.String (expected: a java.lang.Boolean)");
  }
}
