package dev.switchboard.channel.core;

import static dev.switchboard.channel.core.TestSupport.startUnary;
import static dev.switchboard.channel.core.TestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.ResolverState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ResolverSideTest {
  private static final InetSocketAddress SERVER = InMemoryTransportFactory.address(2001);

  @Test
  void resolverMayCallTheChannelInlineFromNewResolverAndResolveNow() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      List<Status> answers = new CopyOnWriteArrayList<>();
      f.resolverProvider.onStart = conn -> answers.add(conn.updateState(state(SERVER)));
      f.resolverProvider.onResolveNow = conn -> answers.add(conn.updateState(state(SERVER)));
      ManagedChannel channel = f.channel();
      assertThat(startUnary(channel, "a", CallOptions.DEFAULT).awaitClose().isOk()).isTrue();

      server.liveConnections().get(0).drop(); // the channel re-resolves: resolveNow answers inline

      Await.until("resolveNow answered", () -> answers.size() >= 2);
      assertThat(answers).allMatch(Status::isOk);
      assertThat(startUnary(channel, "b", CallOptions.DEFAULT).awaitClose().isOk()).isTrue();
    }
  }

  @Test
  void updateFromAnotherThreadGetsTheBalancersAnswer() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(SERVER);
      f.channel().state(true);
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();

      Status rejected = resolver.conn.updateState(ResolverState.newBuilder().build());
      Status accepted = resolver.conn.updateState(state(SERVER));

      assertThat(rejected.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(rejected.description().orElse("")).contains("no addresses");
      assertThat(accepted.isOk()).isTrue();
    }
  }

  @Test
  void reportErrorReResolvesWithBackoffUntilAGoodState() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(SERVER);
      f.channel().state(true);
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();

      resolver.conn.reportError(Status.UNAVAILABLE.withDescription("dns down"));
      assertThat(f.clock.pendingDelays()).singleElement()
          .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200)));
      f.clock.forward(Duration.ofMillis(799));
      assertThat(resolver.resolveNowCount).hasValue(0);
      f.clock.forward(Duration.ofMillis(401));
      assertThat(resolver.resolveNowCount).hasValue(1);

      resolver.conn.reportError(Status.UNAVAILABLE.withDescription("dns still down"));
      assertThat(f.clock.pendingDelays()).singleElement()
          .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(1280), Duration.ofMillis(1920)));
      f.clock.forward(Duration.ofMillis(1920));
      assertThat(resolver.resolveNowCount).hasValue(2);

      assertThat(resolver.conn.updateState(state(SERVER)).isOk()).isTrue();
      resolver.conn.reportError(Status.UNAVAILABLE.withDescription("after a good state"));
      // The backoff started again from 1 s after the good state (the error may wait for the
      // synchronization context, busy with the new connection on the transport's thread).
      Await.until("re-resolution scheduled 1 s ± 20% out", () -> f.clock.pendingDelays().stream()
          .anyMatch(d -> d.compareTo(Duration.ofMillis(800)) >= 0 && d.compareTo(Duration.ofMillis(1200)) <= 0));
    }
  }

  @Test
  void failFastCallsFailWithTheResolverErrorBeforeAnyState() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.resolverProvider.onStart =
          conn -> conn.reportError(Status.UNAVAILABLE.withDescription("no such name"));
      Status status = startUnary(f.channel(), "x", CallOptions.DEFAULT).awaitClose();
      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("no such name");
      assertThat(f.channel().state(false)).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    }
  }

  @Test
  void rejectedUpdateReResolvesWithBackoff() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.channel().state(true);
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();

      assertThat(resolver.conn.updateState(ResolverState.newBuilder().build()).isOk()).isFalse();

      f.clock.forward(Duration.ofMillis(1200));
      assertThat(resolver.resolveNowCount).hasValue(1);
    }
  }

  @Test
  void emptyAddressListIsAValidUpdate() throws Exception {
    TestBalancerProvider accepting = new TestBalancerProvider("accept_all");
    try (ChannelFixture f = new ChannelFixture()) {
      f.build(f.builder().balancerProvider(accepting).defaultLoadBalancingPolicy("accept_all"));
      f.channel().state(true);
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();

      Status status = resolver.conn.updateState(ResolverState.newBuilder().build());

      assertThat(status.isOk()).isTrue();
      assertThat(accepting.awaitBalancer(0).updates).singleElement()
          .satisfies(u -> assertThat(u.addresses()).isEmpty());
      f.clock.forward(Duration.ofMinutes(5));
      assertThat(resolver.resolveNowCount).hasValue(0);
    }
  }

  @Test
  void nothingReachesTheChannelAfterTheResolverIsClosed() throws Exception {
    TestBalancerProvider recording = new TestBalancerProvider("recording");
    ChannelFixture f = new ChannelFixture();
    try (f) {
      f.build(f.builder().balancerProvider(recording).defaultLoadBalancingPolicy("recording"));
      f.channel().state(true);
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      resolver.conn.updateState(state(SERVER));
      TestBalancerProvider.TestBalancer balancer = recording.awaitBalancer(0);

      f.channel().shutdown();
      Await.until("resolver closed", () -> resolver.closed);
      assertThat(resolver.conn.updateState(state(SERVER)).isOk()).isTrue();
      resolver.conn.reportError(Status.UNAVAILABLE);

      assertThat(balancer.updates).hasSize(1);
      assertThat(balancer.errors).isEmpty();
      assertThat(f.clock.pendingDelays()).isEmpty();
    }
  }

  @Test
  void invalidServiceConfigWithoutAGoodOneFailsCallsNamingTheError() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      f.resolverProvider.onStart =
          conn -> conn.updateState(
              state(SERVER).toBuilder().serviceConfig(conn.parseServiceConfig("{not json")).build());

      Status status = startUnary(f.channel(), "x", CallOptions.DEFAULT).awaitClose();

      assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("invalid service config");
    }
  }

  @Test
  void nullMessageSizeFromAResolverIsAnErrorResultOnTheResolversThread() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      java.util.concurrent.CompletableFuture<ConfigOrError<?>> parsed = new java.util.concurrent.CompletableFuture<>();
      f.resolverProvider.onStart = conn -> {
        try {
          parsed.complete(conn.parseServiceConfig(
              "{\"methodConfig\":[{\"name\":[{}],\"maxRequestMessageBytes\":null}]}"));
        } catch (RuntimeException e) {
          parsed.completeExceptionally(e);
        }
      };
      startUnary(f.channel(), "x", CallOptions.DEFAULT.withDeadlineAfter(java.time.Duration.ofSeconds(1)));
      ConfigOrError<?> result = parsed.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(result.isOk()).isFalse();
      assertThat(result.status().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(result.status().description().orElse(""))
          .contains("methodConfig[0].maxRequestMessageBytes: null");
    }
  }

  @Test
  void invalidServiceConfigKeepsThePreviousGoodOne() throws Exception {
    TestBalancerProvider special = new TestBalancerProvider("special");
    try (ChannelFixture f = new ChannelFixture()) {
      f.build(f.builder().balancerProvider(special));
      f.channel().state(true);
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      var good = resolver.conn.parseServiceConfig("{\"loadBalancingConfig\":[{\"special\":{}}]}");
      assertThat(good.isOk()).as("%s", good).isTrue();
      resolver.conn.updateState(state(SERVER).toBuilder().serviceConfig(good).build());

      Status status = resolver.conn.updateState(
          state(SERVER).toBuilder().serviceConfig(resolver.conn.parseServiceConfig("[")).build());

      assertThat(status.isOk()).isTrue();
      TestBalancerProvider.TestBalancer balancer = special.awaitBalancer(0);
      assertThat(balancer.updates).hasSize(2);
      assertThat(balancer.closed).isFalse();
    }
  }

  @Test
  void ignoredResolverConfigUsesTheDefaultConfig() throws Exception {
    TestBalancerProvider special = new TestBalancerProvider("special");
    TestBalancerProvider fallback = new TestBalancerProvider("fallback");
    try (ChannelFixture f = new ChannelFixture()) {
      f.build(f.builder().balancerProvider(special).balancerProvider(fallback)
          .defaultServiceConfig("{\"loadBalancingConfig\":[{\"fallback\":{}}]}")
          .ignoreResolverServiceConfig());
      f.channel().state(true);
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();

      resolver.conn.updateState(state(SERVER).toBuilder()
          .serviceConfig(resolver.conn.parseServiceConfig("{\"loadBalancingConfig\":[{\"special\":{}}]}"))
          .build());

      assertThat(fallback.awaitBalancer(0).updates).hasSize(1);
      assertThat(special.balancers).isEmpty();
    }
  }

  @Test
  void requestsToReResolveReachTheResolverAtMostOnceASecond() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.channel();
      assertThat(startUnary(channel, "a", CallOptions.DEFAULT).awaitClose().isOk()).isTrue();
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();

      server.liveConnections().get(0).drop();
      Await.until("first re-resolution", () -> resolver.resolveNowCount.get() == 1);
      assertThat(startUnary(channel, "b", CallOptions.DEFAULT).awaitClose().isOk()).isTrue();
      server.liveConnections().get(0).drop();
      Await.until("second request scheduled", () -> !f.clock.pendingDelays().isEmpty());
      assertThat(resolver.resolveNowCount).hasValue(1);

      f.clock.forward(Duration.ofSeconds(1));

      assertThat(resolver.resolveNowCount).hasValue(2);
    }
  }
}
