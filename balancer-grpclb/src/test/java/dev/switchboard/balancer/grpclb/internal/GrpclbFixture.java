package dev.switchboard.balancer.grpclb.internal;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.FakeBalancerClientConn;
import dev.switchboard.channel.testing.ManualClock;
import dev.switchboard.channel.testing.ManualResolver;
import io.grpc.lb.v1.ClientStats;
import io.grpc.lb.v1.ClientStatsPerToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A grpclb setup for end-to-end tests: a {@link FakeBalancer}, grpc-java backends, a manual clock
 * for the channel's timers, and a channel whose manual resolver reports the balancer (as the DNS
 * resolver would, with an authority) and the fallback backends. Calls are the kit's unary bytes
 * method ({@link FakeBalancerClientConn#TEST_METHOD}); each returns the name of the backend that
 * served it.
 *
 * <p>Not thread-safe: one test at a time.
 */
final class GrpclbFixture implements AutoCloseable {
  static final String BALANCER_AUTHORITY = "lb.test";

  /** The call made: the kit's unary bytes method, which {@link GrpcBackend} serves. */
  static final MethodDescriptor<byte[], byte[]> CALL = FakeBalancerClientConn.TEST_METHOD;

  final FakeBalancer balancer;
  final List<GrpcBackend> backends = new ArrayList<>();
  final ManualClock clock = ManualClock.create();
  final ManualResolver resolver = ManualResolver.create();
  ManagedChannel channel;

  GrpclbFixture(int backendCount) {
    balancer = FakeBalancer.start();
    for (int i = 0; i < backendCount; i++) {
      backends.add(GrpcBackend.start("b" + i));
    }
  }

  GrpcBackend backend(int i) {
    return backends.get(i);
  }

  /** Returns the resolver state: the balancer as grpclb balancer address, and fallback backends. */
  ResolverState resolverState(List<GrpcBackend> fallback) {
    return resolverState(balancer, fallback);
  }

  /** Returns {@code balancer} as grpclb balancer address (authority {@link #BALANCER_AUTHORITY}) and fallback backends. */
  static ResolverState resolverState(FakeBalancer balancer, List<GrpcBackend> fallback) {
    List<Address> addresses = new ArrayList<>();
    for (GrpcBackend b : fallback) {
      addresses.add(Address.of(b.address()));
    }
    Address lb = Address.newBuilder(balancer.address())
        .attributes(Attributes.newBuilder().set(Address.AUTHORITY_OVERRIDE, BALANCER_AUTHORITY).build())
        .build();
    return ResolverState.newBuilder()
        .addresses(addresses)
        .attributes(Attributes.newBuilder().set(ResolverState.GRPCLB_BALANCER_ADDRESSES, List.of(lb)).build())
        .build();
  }

  /** Builds the channel with {@code grpclbConfig} (the object under "grpclb") and fallback backends. */
  ManagedChannel channel(String grpclbConfig, List<GrpcBackend> fallback) {
    resolver.setInitialState(resolverState(fallback));
    channel = ChannelBuilder.forTarget(resolver.target())
        .resolverProvider(resolver.provider())
        .defaultServiceConfig("{\"loadBalancingConfig\":[{\"grpclb\":" + grpclbConfig + "}]}")
        .scheduler(clock)
        .usePlaintext()
        .build();
    channel.state(true);
    return channel;
  }

  /** Starts a call; the future gives the serving backend's name. */
  CompletableFuture<byte[]> start(CallOptions options) {
    return ClientCalls.futureUnaryCall(channel, CALL, options, new byte[0]);
  }

  /** Makes one call; returns the backend's name, or "status:CODE" when it failed. */
  String call(CallOptions options) {
    return outcome(start(options));
  }

  static String outcome(CompletableFuture<byte[]> future) {
    try {
      return new String(future.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusException) {
        Status status = ((StatusException) e.getCause()).status();
        return "status:" + status.code() + (status.description().orElse("").contains("dropped") ? ":dropped" : "");
      }
      throw new AssertionError(e);
    } catch (InterruptedException | TimeoutException e) {
      future.cancel(true);
      throw new AssertionError("call did not end within 10 s", e);
    }
  }

  /** Makes {@code n} calls one after the other and counts the outcomes. */
  Map<String, Integer> spread(int n, CallOptions options) {
    Map<String, Integer> spread = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      spread.merge(call(options), 1, Integer::sum);
    }
    return spread;
  }

  /** Sums client stats reports: started, finished, failed to send, known received, drops per token. */
  static Map<String, Long> sum(List<ClientStats> reports) {
    Map<String, Long> sum = new TreeMap<>();
    for (ClientStats s : reports) {
      sum.merge("started", s.getNumCallsStarted(), Long::sum);
      sum.merge("finished", s.getNumCallsFinished(), Long::sum);
      sum.merge("failedToSend", s.getNumCallsFinishedWithClientFailedToSend(), Long::sum);
      sum.merge("knownReceived", s.getNumCallsFinishedKnownReceived(), Long::sum);
      for (ClientStatsPerToken drop : s.getCallsFinishedWithDropList()) {
        sum.merge("drop:" + drop.getLoadBalanceToken(), drop.getNumCalls(), Long::sum);
      }
    }
    return sum;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    balancer.close();
    backends.forEach(GrpcBackend::close);
  }
}
