package dev.switchboard.resolver.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real channels over a real agent: calls across the agent's absence, and one long poll for many. */
class ConsulChannelTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestBackend backend(String name) {
    return TestBackend.newBuilder().name(name).address(new InetSocketAddress("127.0.0.1", 0)).build().start();
  }

  @Test
  void callsGoOnWhileTheAgentIsStoppedForTenSecondsAndTheResolverFollowsTheNewAgent() throws Exception {
    try (ConsulAgentProcess agent = ConsulAgentProcess.start();
        TestBackend one = backend("backend-1");
        TestBackend two = backend("backend-2");
        TestBackend three = backend("backend-3")) {
      agent.register("echo", "echo-1", one.port(), "");
      agent.register("echo", "echo-2", two.port(), "");
      ManagedChannel channel = ChannelBuilder.forTarget("consul://" + agent.address() + "/echo")
          .usePlaintext().defaultLoadBalancingPolicy("round_robin").build();
      AtomicLong succeeded = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicReference<Throwable> firstFailure = new AtomicReference<>();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      AtomicInteger running = new AtomicInteger(1);
      List<Thread> callers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thread t = new Thread(() -> {
          while (running.get() == 1) {
            try {
              seen.add(ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO,
                  CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(WAIT), TestMethods.EchoRequest.of("x"))
                  .backend());
              succeeded.incrementAndGet();
            } catch (RuntimeException e) {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, e);
            }
          }
        });
        t.start();
        callers.add(t);
      }
      try {
        Await.until("calls reach both backends", WAIT, () -> seen.size() == 2);
        agent.stop();
        long stoppedAt = System.nanoTime();
        seen.clear();
        long before = succeeded.get();
        Await.until("ten seconds without the agent", Duration.ofSeconds(20),
            () -> System.nanoTime() - stoppedAt >= Duration.ofSeconds(10).toNanos());
        assertThat(succeeded.get() - before).as("calls while the agent is away").isGreaterThan(100);
        assertThat(seen).containsExactlyInAnyOrder("backend-1", "backend-2");

        agent.restart(); // a new, empty agent on the same port
        agent.register("echo", "echo-3", three.port(), "");
        Await.until("calls reach the backend registered in the new agent", WAIT, () -> seen.contains("backend-3"));
      } finally {
        running.set(0);
        for (Thread t : callers) {
          t.join(WAIT.toMillis());
        }
        channel.shutdownNow();
      }
      assertThat(failed.get()).as("failed calls (first: %s)", firstFailure.get()).isZero();
    }
  }

  /** A reverse proxy in front of the agent that counts the long polls it carries. */
  private static final class CountingProxy implements AutoCloseable {
    final HttpServer server;
    final ExecutorService threads = Executors.newCachedThreadPool();
    final HttpClient client = HttpClient.newHttpClient();
    final AtomicInteger healthRequests = new AtomicInteger();
    final AtomicInteger healthInFlight = new AtomicInteger();
    final AtomicInteger maxHealthInFlight = new AtomicInteger();
    final String target;

    CountingProxy(String agentAddress) throws IOException {
      this.target = agentAddress;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
      server.setExecutor(threads);
      server.createContext("/", this::forward);
      server.start();
    }

    String address() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
      boolean health = exchange.getRequestURI().getPath().startsWith("/v1/health/");
      if (health) {
        healthRequests.incrementAndGet();
        maxHealthInFlight.accumulateAndGet(healthInFlight.incrementAndGet(), Math::max);
      }
      try {
        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(
            URI.create("http://" + target + exchange.getRequestURI())).build(), HttpResponse.BodyHandlers.ofByteArray());
        answer.headers().firstValue("X-Consul-Index")
            .ifPresent(index -> exchange.getResponseHeaders().add("X-Consul-Index", index));
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.close();
      } finally {
        if (health) {
          healthInFlight.decrementAndGet();
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  @Test
  void hundredChannelsOnOneServiceHoldOneLongPoll() throws Exception {
    try (ConsulAgentProcess agent = ConsulAgentProcess.start();
        TestBackend backend = backend("backend-1")) {
      agent.register("orders", "orders-1", backend.port(), "");
      try (CountingProxy proxy = new CountingProxy(agent.address())) {
        List<ManagedChannel> channels = new ArrayList<>();
        try {
          for (int i = 0; i < 100; i++) {
            ManagedChannel channel = ChannelBuilder.forTarget("consul://" + proxy.address() + "/orders")
                .usePlaintext().build();
            channels.add(channel);
            channel.state(true);
          }
          for (ManagedChannel channel : channels) {
            Await.until("every channel READY", WAIT, () -> channel.state(true) == ConnectivityState.READY);
          }
          Await.until("the long poll parked at the agent", WAIT, () -> proxy.healthInFlight.get() == 1);

          assertThat(proxy.maxHealthInFlight.get()).as("health long polls at once").isEqualTo(1);
          // The first read (index 0), then the blocking query now parked; the agent's own anti-entropy
          // sync may wake it once or twice. A poll per channel would be 200.
          assertThat(proxy.healthRequests.get()).isBetween(2, 4);
          assertThat(BlockingWatch.openWatches()).as("one health watch, one KV watch").isEqualTo(2);
        } finally {
          channels.forEach(ManagedChannel::shutdownNow);
        }
        Await.until("the watches closed with the last channel", WAIT, () -> BlockingWatch.openWatches() == 0);
      }
    }
  }
}
