package dev.switchboard.channel.core;

import static dev.switchboard.channel.core.TestSupport.startUnary;
import static dev.switchboard.channel.core.TestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.resolver.ResolverState;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BalancerSideTest {
  private static final InetSocketAddress SERVER = InMemoryTransportFactory.address(3001);
  private static final String POLICY_A = "{\"loadBalancingConfig\":[{\"policy_a\":{}}]}";
  private static final String POLICY_B = "{\"loadBalancingConfig\":[{\"policy_b\":{}}]}";

  private final TestBalancerProvider policyA = new TestBalancerProvider("policy_a");
  private final TestBalancerProvider policyB = new TestBalancerProvider("policy_b");

  private static Picker dropping(String who) {
    PickResult result = PickResult.withDrop(Status.UNAVAILABLE.withDescription("picked by " + who));
    return new Picker() {
      @Override
      public PickResult pick(PickInfo info) {
        return result;
      }

      @Override
      public String toString() {
        return who;
      }
    };
  }

  private static String pickedBy(ManagedChannel channel) {
    return startUnary(channel, "x", CallOptions.DEFAULT).awaitClose().description().orElse("");
  }

  private ManagedChannel channelWith(ChannelFixture f, String defaultPolicy) {
    ManagedChannel channel =
        f.build(f.builder().balancerProvider(policyA).balancerProvider(policyB)
            .defaultLoadBalancingPolicy(defaultPolicy));
    channel.state(true);
    return channel;
  }

  private static ResolverState withConfig(TestSupport.TestResolverProvider.TestResolver resolver, String json) {
    return state(SERVER).toBuilder().serviceConfig(resolver.conn.parseServiceConfig(json)).build();
  }

  @Test
  void oldPolicyServesUntilTheNewOneIsReady() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = channelWith(f, "pick_first");
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      resolver.conn.updateState(withConfig(resolver, POLICY_A));
      TestBalancerProvider.TestBalancer a = policyA.awaitBalancer(0);
      a.publish(ConnectivityState.READY, dropping("a"));
      assertThat(pickedBy(channel)).isEqualTo("picked by a");

      resolver.conn.updateState(withConfig(resolver, POLICY_B));
      TestBalancerProvider.TestBalancer b = policyB.awaitBalancer(0);
      b.publish(ConnectivityState.CONNECTING, dropping("b"));

      assertThat(b.updates).hasSize(1);
      assertThat(a.updates).hasSize(1);
      assertThat(pickedBy(channel)).isEqualTo("picked by a");
      assertThat(a.closed).isFalse();

      b.publish(ConnectivityState.READY, dropping("b"));

      assertThat(pickedBy(channel)).isEqualTo("picked by b");
      assertThat(a.closed).isTrue();
    }
  }

  @Test
  void newPolicyTakesOverWhenTheOldOneLeavesReady() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = channelWith(f, "pick_first");
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      resolver.conn.updateState(withConfig(resolver, POLICY_A));
      TestBalancerProvider.TestBalancer a = policyA.awaitBalancer(0);
      a.publish(ConnectivityState.READY, dropping("a"));
      resolver.conn.updateState(withConfig(resolver, POLICY_B));
      TestBalancerProvider.TestBalancer b = policyB.awaitBalancer(0);
      b.publish(ConnectivityState.CONNECTING, dropping("b"));

      a.publish(ConnectivityState.TRANSIENT_FAILURE, dropping("a failing"));

      assertThat(pickedBy(channel)).isEqualTo("picked by b");
      assertThat(a.closed).isTrue();
      assertThat(channel.state(false)).isEqualTo(ConnectivityState.CONNECTING);
    }
  }

  @Test
  void balancerThatThrowsIsContained() throws Exception {
    policyA.onUpdate = (balancer, update) -> {
      throw new IllegalStateException("kaboom");
    };
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = channelWith(f, "policy_a");
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();

      Status answer = resolver.conn.updateState(state(SERVER));

      assertThat(answer.code()).isEqualTo(Status.Code.INTERNAL);
      assertThat(answer.description().orElse("")).contains("policy_a").contains("kaboom");
      Status call = startUnary(channel, "x", CallOptions.DEFAULT).awaitClose();
      assertThat(call.code()).isEqualTo(Status.Code.INTERNAL);
      assertThat(call.description().orElse("")).contains("policy_a").contains("kaboom");
      assertThat(channel.state(false)).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    }
  }

  @Test
  void failFailsFastCallsAndWaitForReadyCallsWaitUntilADrop() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = channelWith(f, "policy_a");
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      resolver.conn.updateState(state(SERVER));
      TestBalancerProvider.TestBalancer a = policyA.awaitBalancer(0);
      a.publish(ConnectivityState.TRANSIENT_FAILURE,
          Picker.of(PickResult.withError(Status.UNAVAILABLE.withDescription("backend down"))));

      Status failFast = startUnary(channel, "x", CallOptions.DEFAULT).awaitClose();
      TestSupport.CallRecorder waiting = startUnary(channel, "y", CallOptions.DEFAULT.withWaitForReady());

      assertThat(failFast.description()).hasValue("backend down");
      assertThat(waiting.isClosed()).isFalse();

      a.publish(ConnectivityState.TRANSIENT_FAILURE, dropping("the drop"));
      assertThat(waiting.awaitClose().description()).hasValue("picked by the drop");
    }
  }

  @Test
  void queuedCallsArePickedAgainWithEveryNewPicker() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = channelWith(f, "policy_a");
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      resolver.conn.updateState(state(SERVER));
      TestBalancerProvider.TestBalancer a = policyA.awaitBalancer(0);
      a.publish(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
      TestSupport.CallRecorder queued = startUnary(channel, "x", CallOptions.DEFAULT);
      a.publish(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
      assertThat(queued.isClosed()).isFalse();

      a.publish(ConnectivityState.TRANSIENT_FAILURE, dropping("third picker"));

      assertThat(queued.awaitClose().description()).hasValue("picked by third picker");
    }
  }

  @Test
  void pickerThatThrowsFailsTheCallNamingThePicker() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = channelWith(f, "policy_a");
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      resolver.conn.updateState(state(SERVER));
      TestBalancerProvider.TestBalancer a = policyA.awaitBalancer(0);
      a.publish(ConnectivityState.READY, new Picker() {
        @Override
        public PickResult pick(PickInfo info) {
          throw new ArithmeticException("bad math");
        }

        @Override
        public String toString() {
          return "BrokenPicker";
        }
      });

      Status status = startUnary(channel, "x", CallOptions.DEFAULT).awaitClose();

      assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
      assertThat(status.description().orElse("")).contains("BrokenPicker").contains("bad math");
    }
  }

  @Test
  void pickInfoIsTheCallAndThePickerMayAddHeaders() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      InMemoryTransportFactory.FakeServer server = f.transport.addServer(SERVER);
      ManagedChannel channel = channelWith(f, "policy_a");
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      AtomicReference<String> seenMethod = new AtomicReference<>();
      policyA.onUpdate = (balancer, update) -> {
        dev.switchboard.channel.api.balancer.SubConn[] subConn = {null};
        subConn[0] = balancer.conn.newSubConn(update.addresses(),
            dev.switchboard.channel.api.balancer.SubConnOptions.of(s -> {
              if (s.state() == ConnectivityState.READY) {
                PickResult result = PickResult.withSubConn(subConn[0]);
                balancer.conn.updateState(ConnectivityState.READY, info -> {
                  seenMethod.set(info.method().fullMethodName());
                  info.headers().putAscii("lb-token", "t1");
                  return result;
                });
              }
            }));
        subConn[0].connect();
        return Status.OK;
      };
      resolver.conn.updateState(state(SERVER));

      TestSupport.CallRecorder call = startUnary(channel, "x", CallOptions.DEFAULT);

      assertThat(call.awaitClose().isOk()).isTrue();
      assertThat(seenMethod).hasValue(TestSupport.UNARY.fullMethodName());
      assertThat(server.takeCall().stream.headers.get(
              dev.switchboard.channel.api.Metadata.Key.of(
                  "lb-token", dev.switchboard.channel.api.Metadata.ASCII_STRING_MARSHALLER)))
          .hasValue("t1");
    }
  }

  @Test
  void providerThatCannotCreateABalancerIsContained() throws Exception {
    dev.switchboard.channel.api.balancer.BalancerProvider<Map<String, ?>> broken =
        new dev.switchboard.channel.api.balancer.BalancerProvider<>() {
          @Override
          public String policyName() {
            return "broken";
          }

          @Override
          public dev.switchboard.channel.api.ConfigOrError<Map<String, ?>> parseConfig(Map<String, ?> raw,
              dev.switchboard.channel.api.balancer.BalancerRegistry registry) {
            return dev.switchboard.channel.api.ConfigOrError.of(raw);
          }

          @Override
          public dev.switchboard.channel.api.balancer.Balancer<Map<String, ?>> newBalancer(
              dev.switchboard.channel.api.balancer.ClientConn clientConn,
              dev.switchboard.channel.api.balancer.BalancerArgs args) {
            throw new UnsupportedOperationException("cannot build");
          }
        };
    try (ChannelFixture f = new ChannelFixture()) {
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel = f.build(f.builder().balancerProvider(broken).defaultLoadBalancingPolicy("broken"));

      Status status = startUnary(channel, "x", CallOptions.DEFAULT).awaitClose();

      assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
      assertThat(status.description().orElse("")).contains("broken").contains("cannot build");
    }
  }

  @Test
  void statusCodesThatOnlyAServerMayUseBecomeInternalWhenAPickerUsesThem() throws Exception {
    try (ChannelFixture f = new ChannelFixture()) {
      ManagedChannel channel = channelWith(f, "policy_a");
      TestSupport.TestResolverProvider.TestResolver resolver = f.resolverProvider.awaitResolver();
      resolver.conn.updateState(state(SERVER));
      policyA.awaitBalancer(0).publish(ConnectivityState.TRANSIENT_FAILURE,
          Picker.of(PickResult.withError(Status.NOT_FOUND.withDescription("no such cluster"))));

      Status status = startUnary(channel, "x", CallOptions.DEFAULT).awaitClose();

      assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
      assertThat(status.description().orElse("")).contains("NOT_FOUND").contains("no such cluster");
    }
  }
}
