package dev.switchboard.channel.core;

import static dev.switchboard.channel.core.TestSupport.startUnary;
import static dev.switchboard.channel.core.TestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private static final InetSocketAddress SERVER = InMemoryTransportFactory.address(6001);
  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 250;

  @Test
  void everyCallCompletesWhilePickersChangeUnderManyThreads() throws Exception {
    TestBalancerProvider provider = new TestBalancerProvider("flipping");
    AtomicReference<SubConn> ready = new AtomicReference<>();
    provider.onUpdate = (balancer, update) -> {
      SubConn[] self = {null};
      self[0] = balancer.conn.newSubConn(update.addresses(), SubConnOptions.of(s -> {
        if (s.state() == ConnectivityState.READY) {
          ready.set(self[0]);
        }
      }));
      self[0].connect();
      return Status.OK;
    };
    try (ChannelFixture f = new ChannelFixture()) {
      f.transport.addServer(SERVER);
      f.resolverProvider.onStart = conn -> conn.updateState(state(SERVER));
      ManagedChannel channel =
          f.build(f.builder().balancerProvider(provider).defaultLoadBalancingPolicy("flipping"));
      channel.state(true);
      TestBalancerProvider.TestBalancer balancer = provider.awaitBalancer(0);
      Await.until("subconn ready", () -> ready.get() != null);
      Picker serving = Picker.of(PickResult.withSubConn(ready.get()));
      Picker queueing = Picker.of(PickResult.withNoResult());
      Picker failing = Picker.of(PickResult.withError(Status.UNAVAILABLE.withDescription("flapping")));

      List<TestSupport.CallRecorder> calls = new CopyOnWriteArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(THREADS);
      AtomicBoolean flipping = new AtomicBoolean(true);
      Thread flipper = new Thread(() -> {
        int i = 0;
        while (flipping.get()) {
          switch (i++ % 3) {
            case 0 -> balancer.publish(ConnectivityState.READY, serving);
            case 1 -> balancer.publish(ConnectivityState.CONNECTING, queueing);
            default -> balancer.publish(ConnectivityState.TRANSIENT_FAILURE, failing);
          }
          Thread.yield();
        }
      });
      flipper.start();
      for (int t = 0; t < THREADS; t++) {
        Thread caller = new Thread(() -> {
          try {
            go.await();
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
              calls.add(startUnary(channel, "m" + i, CallOptions.DEFAULT.withWaitForReady()));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            started.countDown();
          }
        });
        caller.start();
      }
      go.countDown();
      assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
      flipping.set(false);
      flipper.join();
      balancer.publish(ConnectivityState.READY, serving);

      assertThat(calls).hasSize(THREADS * CALLS_PER_THREAD);
      for (TestSupport.CallRecorder call : calls) {
        Status status = call.awaitClose();
        assertThat(status.isOk()).as("%s", status).isTrue();
        assertThat(call.messages).hasSize(1);
        assertThat(call.closeCount).hasValue(1);
      }
    }
  }
}
