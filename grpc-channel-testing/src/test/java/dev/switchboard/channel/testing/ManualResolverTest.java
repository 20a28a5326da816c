package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.PluginRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ManualResolverTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ResolverState ONE_ADDRESS = ResolverState.newBuilder()
      .addresses(List.of(Address.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080))))
      .build();

  private final ManualClock clock = ManualClock.create();
  private final ResolverArgs args =
      ResolverArgs.newBuilder().scheduler(clock).offloadExecutor(clock).ticker(clock).build();
  private final FakeResolverClientConn conn = FakeResolverClientConn.withParser(
      json -> ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("parsed " + json)));

  private static Target targetOf(ManualResolver r) {
    return Targets.parse(r.target());
  }

  @Test
  void createdResolversHaveUniqueManualTargets() {
    ManualResolver a = ManualResolver.create();
    ManualResolver b = ManualResolver.create();

    assertThat(a.target()).startsWith("manual:///").isNotEqualTo(b.target());
    assertThat(a.target()).isEqualTo("manual:///" + a.name());
  }

  @Test
  void nameOfALiveResolverCannotBeTakenTwice() {
    ManualResolver a = ManualResolver.create("taken-name");

    assertThatThrownBy(() -> ManualResolver.create("taken-name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taken-name");
    assertThat(a.name()).isEqualTo("taken-name");
  }

  @Test
  void channelFindsTheManualSchemeThroughServiceLoader() {
    assertThat(PluginRegistry.loadDefault().resolverProvider("manual"))
        .hasValueSatisfying(p -> assertThat(p).isInstanceOf(ManualResolverProvider.class));
  }

  @Test
  void initialStateIsDeliveredInlineFromNewResolver() {
    ManualResolver r = ManualResolver.create();
    r.setInitialState(ONE_ADDRESS);

    new ManualResolverProvider().newResolver(targetOf(r), conn, args);

    assertThat(conn.states()).containsExactly(ONE_ADDRESS);
    assertThat(conn.events().get(0)).isInstanceOfSatisfying(FakeResolverClientConn.Event.State.class,
        s -> assertThat(s.thread()).isEqualTo(Thread.currentThread().getName()));
    assertThat(r.resolverCount()).isEqualTo(1);
    assertThat(r.lastTarget()).contains(targetOf(r));
  }

  @Test
  void updateStateReturnsTheChannelsAnswer() {
    ManualResolver r = ManualResolver.create();
    r.provider().newResolver(targetOf(r), conn, args);
    conn.setUpdateStateResult(Status.UNAVAILABLE.withDescription("rejected"));

    Status answer = r.updateState(ONE_ADDRESS);

    assertThat(answer.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(conn.awaitState(TIMEOUT)).isEqualTo(ONE_ADDRESS);
  }

  @Test
  void errorsAndServiceConfigsGoThroughTheChannelsClientConn() {
    ManualResolver r = ManualResolver.create();
    r.provider().newResolver(targetOf(r), conn, args);

    r.reportError(Status.UNAVAILABLE.withDescription("lookup failed"));
    ConfigOrError<ServiceConfig> parsed = r.parseServiceConfig("{}");

    assertThat(conn.awaitError(TIMEOUT).description()).contains("lookup failed");
    assertThat(parsed.status().description()).contains("parsed {}");
  }

  @Test
  void serviceConfigForAnInitialStateIsParsedByCoreBeforeAnyResolverExists() {
    ManualResolver r = ManualResolver.create();

    ConfigOrError<ServiceConfig> ok = r.parseServiceConfig("{\"methodConfig\": []}");
    ConfigOrError<ServiceConfig> broken = r.parseServiceConfig("[]");

    assertThat(ok.isOk()).as("%s", ok).isTrue();
    assertThat(broken.status().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    r.setInitialState(ResolverState.newBuilder().serviceConfig(ok).build());
    r.provider().newResolver(targetOf(r), conn, args);
    assertThat(conn.states().get(0).serviceConfig()).containsSame(ok);
  }

  @Test
  void drivingBeforeTheChannelCreatedAResolverIsRefusedWithAHint() {
    ManualResolver r = ManualResolver.create();

    assertThatThrownBy(() -> r.updateState(ONE_ADDRESS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(r.target())
        .hasMessageContaining("awaitResolver");
  }

  @Test
  void resolveNowIsCountedAndCloseStopsDelivery() {
    ManualResolver r = ManualResolver.create();
    Resolver resolver = r.provider().newResolver(targetOf(r), conn, args);

    resolver.resolveNow();
    resolver.resolveNow();
    resolver.close();
    resolver.close();
    Status answer = r.updateState(ONE_ADDRESS);
    r.reportError(Status.UNAVAILABLE);

    assertThat(r.resolveNowCount()).isEqualTo(2);
    assertThat(r.isClosed()).isTrue();
    assertThat(answer.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(conn.events()).isEmpty();
  }

  @Test
  void latestResolverIsDrivenWhenTheChannelCreatesAnother() {
    ManualResolver r = ManualResolver.create();
    FakeResolverClientConn second = FakeResolverClientConn.withParser(json -> ConfigOrError.fromError(Status.UNIMPLEMENTED));
    r.provider().newResolver(targetOf(r), conn, args).close();
    r.provider().newResolver(targetOf(r), second, args);

    r.updateState(ONE_ADDRESS);

    assertThat(r.isClosed()).isFalse();
    assertThat(r.resolverCount()).isEqualTo(2);
    assertThat(conn.events()).isEmpty();
    assertThat(second.states()).containsExactly(ONE_ADDRESS);
  }

  @Test
  void awaitResolverReturnsOnceAnotherThreadCreatesIt() throws Exception {
    ManualResolver r = ManualResolver.create();
    CompletableFuture<Void> created = CompletableFuture.runAsync(
        () -> new ManualResolverProvider().newResolver(targetOf(r), conn, args));

    assertThat(r.awaitResolver(TIMEOUT)).isSameAs(conn);
    created.get();
  }

  @Test
  void awaitResolverFailsWithTheTargetWhenNoneIsCreated() {
    ManualResolver r = ManualResolver.create();

    assertThatThrownBy(() -> r.awaitResolver(Duration.ofMillis(20)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(r.target());
  }
}
