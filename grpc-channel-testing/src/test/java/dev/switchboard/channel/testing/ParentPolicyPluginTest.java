package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.ForwardingClientConn;
import dev.switchboard.channel.api.balancer.GracefulSwitchBalancer;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A parent policy written against the API alone (as grpclb, weighted_target or priority would be):
 * it parses its {@code childPolicy} through the channel's registry, runs the child (the kit's
 * test round robin, or core's pick_first) in a {@link
 * GracefulSwitchBalancer}, and tags each call with a header through the child's picker. Through a
 * real channel to three test backends.
 */
class ParentPolicyPluginTest {

  private static final Metadata.Key<String> TAG = Metadata.Key.of("x-tag", Metadata.ASCII_STRING_MARSHALLER);

  /** The parent's parsed config: a tag and the child policy. */
  private record TaggingConfig(String tag, ChildPolicy<?> child) {}

  /** {@code {"tag": "...", "childPolicy": [{"round_robin": {}}, ...]}}. */
  private static final class TaggingPolicy implements BalancerProvider<TaggingConfig> {
    @Override
    public String policyName() {
      return "tagging";
    }

    @Override
    public ConfigOrError<TaggingConfig> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
      Object children = rawConfig.containsKey("childPolicy") ? rawConfig.get("childPolicy")
          : List.of(Map.of("pick_first", Map.of()));
      if (!(children instanceof List)) {
        return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("childPolicy: not a list"));
      }
      ConfigOrError<ChildPolicy<?>> child = registry.parsePolicyList((List<?>) children);
      if (!child.isOk()) {
        String error = child.status().description().orElse("");
        return ConfigOrError.fromError(child.status().withDescription(
            "childPolicy" + (error.startsWith("[") ? "" : ": ") + error));
      }
      String tag = rawConfig.containsKey("tag") ? String.valueOf(rawConfig.get("tag")) : "untagged";
      return ConfigOrError.of(new TaggingConfig(tag, child.config().orElseThrow()));
    }

    @Override
    public Balancer<TaggingConfig> newBalancer(ClientConn clientConn, BalancerArgs args) {
      return new TaggingBalancer(clientConn, args);
    }
  }

  private static final class TaggingBalancer implements Balancer<TaggingConfig> {
    private final GracefulSwitchBalancer child;
    private volatile String tag = "untagged";

    TaggingBalancer(ClientConn parent, BalancerArgs args) {
      this.child = new GracefulSwitchBalancer(new ForwardingClientConn() {
        @Override
        protected ClientConn delegate() {
          return parent;
        }

        @Override
        public void updateState(ConnectivityState state, Picker picker) {
          String tagged = tag;
          parent.updateState(state, info -> {
            PickResult result = picker.pick(info);
            if (result instanceof PickResult.Complete) {
              info.headers().put(TAG, tagged);
            }
            return result;
          });
        }
      }, args);
    }

    @Override
    public Status updateClientConnState(ClientConnState<TaggingConfig> state) {
      tag = state.balancerConfig().tag();
      return child.updateClientConnState(state.withBalancerConfig(state.balancerConfig().child()));
    }

    @Override
    public void resolverError(Status error) {
      child.resolverError(error);
    }

    @Override
    public void exitIdle() {
      child.exitIdle();
    }

    @Override
    public void close() {
      child.close();
    }
  }

  private final List<TestBackend> backends = new ArrayList<>();

  @AfterEach
  void stopBackends() {
    backends.forEach(TestBackend::close);
  }

  private ManagedChannel channel(String serviceConfig) {
    List<Address> addresses = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      TestBackend backend = TestBackend.newBuilder().name("b" + i).build().start();
      backends.add(backend);
      addresses.add(Address.of(backend.address()));
    }
    ManualResolver resolver = ManualResolver.create();
    resolver.setInitialState(ResolverState.newBuilder().addresses(addresses).build());
    return ChannelBuilder.forTarget(resolver.target())
        .resolverProvider(resolver.provider())
        .balancerProvider(new TaggingPolicy())
        .balancerProvider(new TestRoundRobinProvider(TestRoundRobinProvider.Flaw.NONE))
        .defaultServiceConfig(serviceConfig)
        .usePlaintext()
        .build();
  }

  private static Map<String, Integer> spread(ManagedChannel channel, int calls) {
    Map<String, Integer> spread = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      TestMethods.EchoResponse response = ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO,
          CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(Duration.ofSeconds(10)),
          TestMethods.EchoRequest.of("m" + i));
      spread.merge(response.backend(), 1, Integer::sum);
    }
    return spread;
  }

  @Test
  void aParentPolicyRunsARoundRobinChildAndTagsEveryCall() throws Exception {
    ManagedChannel channel = channel(
        "{\"loadBalancingConfig\":[{\"tagging\":{\"tag\":\"blue\",\"childPolicy\":[{\"test_round_robin\":{}}]}}]}");
    try {
      Await.until("every backend served", Duration.ofSeconds(10), () -> spread(channel, 3).size() == 3);
      assertThat(spread(channel, 30)).containsOnlyKeys("b1", "b2", "b3");
      for (TestBackend backend : backends) {
        assertThat(backend.lastRequestHeaders()).hasValueSatisfying(h -> assertThat(h.getAll(TAG))
            .containsExactly("blue"));
      }
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aChildPolicyTheRegistryLacksIsSkippedForTheNextAndPickFirstWorksToo() {
    ManagedChannel channel = channel("{\"loadBalancingConfig\":[{\"tagging\":{\"childPolicy\":"
        + "[{\"no_such_policy\":{}},{\"pick_first\":{}}]}}]}");
    try {
      assertThat(spread(channel, 10)).as("pick_first: one backend").hasSize(1);
      assertThat(backends.stream().filter(b -> b.callsServed() > 0).findFirst().orElseThrow()
          .lastRequestHeaders().orElseThrow().getAll(TAG)).containsExactly("untagged");
    } finally {
      channel.shutdownNow();
    }
  }
}
