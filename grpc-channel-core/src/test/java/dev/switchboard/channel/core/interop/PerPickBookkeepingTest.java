package dev.switchboard.channel.core.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.core.Await;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.internal.channel.FixedAddressResolverProvider;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceImpl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Per-pick bookkeeping under churn, against real grpc-java backends that are stopped and started
 * while calls run: a counting policy (round robin over READY subconns, one {@code lb-token} added
 * per pick) ends with as many {@code onDone} calls as picks that returned a subconn, and every
 * call a backend receives carries exactly one token, its own.
 */
class PerPickBookkeepingTest {

  private static final Metadata.Key<String> LB_TOKEN =
      Metadata.Key.of("lb-token", Metadata.ASCII_STRING_MARSHALLER);
  private static final io.grpc.Metadata.Key<String> SERVER_LB_TOKEN =
      io.grpc.Metadata.Key.of("lb-token", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

  /** A grpc-java interop server on a fixed port that checks the tokens of the calls it gets. */
  private static final class Backend implements AutoCloseable {
    final String token;
    final int port;
    final AtomicInteger calls = new AtomicInteger();
    final ConcurrentLinkedQueue<String> badTokens = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private Server server;

    Backend(String token, int port) throws IOException {
      this.token = token;
      this.port = port;
      start();
    }

    void start() throws IOException {
      ServerInterceptor checkTokens = new ServerInterceptor() {
        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
            io.grpc.Metadata headers, ServerCallHandler<ReqT, RespT> next) {
          calls.incrementAndGet();
          List<String> tokens = new ArrayList<>();
          headers.getAll(SERVER_LB_TOKEN).forEach(tokens::add);
          if (!tokens.equals(List.of(token))) {
            badTokens.add(tokens.toString());
          }
          return next.startCall(call, headers);
        }
      };
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
          .addService(ServerInterceptors.intercept(new TestServiceImpl(executor), checkTokens))
          .build()
          .start();
    }

    int boundPort() {
      return server.getPort();
    }

    void stop() throws InterruptedException {
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      stop();
      executor.shutdownNow();
    }
  }

  /** Round robin over READY subconns, a token per subconn, and counts of what each pick became. */
  private static final class CountingPolicy implements BalancerProvider<Map<String, ?>> {
    final AtomicLong picks = new AtomicLong();
    final AtomicLong started = new AtomicLong();
    final AtomicLong done = new AtomicLong();
    final AtomicLong doneStarted = new AtomicLong();

    @Override
    public String policyName() {
      return "counting";
    }

    @Override
    public ConfigOrError<Map<String, ?>> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
      return ConfigOrError.of(rawConfig);
    }

    @Override
    public Balancer<Map<String, ?>> newBalancer(ClientConn clientConn, BalancerArgs args) {
      return new Balancer<>() {
        private final Map<SubConn, ConnectivityState> states = new ConcurrentHashMap<>();
        private final Map<SubConn, String> tokens = new ConcurrentHashMap<>();

        @Override
        public Status updateClientConnState(ClientConnState<Map<String, ?>> state) {
          if (!tokens.isEmpty()) {
            return Status.OK;
          }
          for (Address address : state.addresses()) {
            SubConn[] self = new SubConn[1];
            SubConn subConn = clientConn.newSubConn(List.of(address), SubConnOptions.of(s -> {
              states.put(self[0], s.state());
              if (s.state() == ConnectivityState.IDLE) {
                self[0].connect();
              }
              publish();
            }));
            self[0] = subConn;
            tokens.put(subConn, "token-" + ((InetSocketAddress) address.socketAddress()).getPort());
            states.put(subConn, ConnectivityState.IDLE);
            subConn.connect();
          }
          publish();
          return Status.OK;
        }

        private void publish() {
          List<PickResult> ready = new ArrayList<>();
          List<String> readyTokens = new ArrayList<>();
          states.forEach((subConn, s) -> {
            if (s == ConnectivityState.READY) {
              ready.add(PickResult.withSubConn(subConn, listener()));
              readyTokens.add(tokens.get(subConn));
            }
          });
          if (ready.isEmpty()) {
            clientConn.updateState(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
            return;
          }
          AtomicInteger next = new AtomicInteger();
          clientConn.updateState(ConnectivityState.READY, info -> {
            int i = Math.floorMod(next.getAndIncrement(), ready.size());
            picks.incrementAndGet();
            info.headers().put(LB_TOKEN, readyTokens.get(i));
            return ready.get(i);
          });
        }

        @Override
        public void resolverError(Status error) {}

        @Override
        public void close() {
          tokens.keySet().forEach(SubConn::shutdown);
        }
      };
    }

    /** One listener per result: it hears many picks, and counts each pick's end once. */
    private PickListener listener() {
      return new PickListener() {
        @Override
        public void onStarted() {
          started.incrementAndGet();
        }

        @Override
        public void onDone(DoneInfo info) {
          done.incrementAndGet();
          if (info.started()) {
            doneStarted.incrementAndGet();
          }
        }
      };
    }
  }

  @Test
  void everyPickGetsOneOnDoneAndEveryCallCarriesOneTokenWhileBackendsBounce() throws Exception {
    List<Backend> backends = new ArrayList<>();
    CountingPolicy policy = new CountingPolicy();
    ExecutorService load = Executors.newFixedThreadPool(6);
    try {
      for (int i = 0; i < 3; i++) {
        Backend any = new Backend("", 0);
        int port = any.boundPort();
        any.close();
        backends.add(new Backend("token-" + port, port));
      }
      InetSocketAddress[] addresses = backends.stream()
          .map(b -> new InetSocketAddress("127.0.0.1", b.port)).toArray(InetSocketAddress[]::new);
      try (ManagedChannel channel = ChannelBuilder.forTarget("fixed:///backends")
          .resolverProvider(FixedAddressResolverProvider.of(addresses))
          .balancerProvider(policy)
          .defaultLoadBalancingPolicy("counting")
          .usePlaintext()
          .build()) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
          clients.add(load.submit(() -> {
            while (running.get()) {
              try {
                SwitchboardTestServiceGrpc.newBlockingStub(channel).withWaitForReady()
                    .withDeadlineAfter(Duration.ofSeconds(10)).emptyCall(Empty.getDefaultInstance());
                ok.incrementAndGet();
              } catch (StatusException e) {
                failed.incrementAndGet(); // calls in flight on a stopped backend fail
              }
            }
            return null;
          }));
        }
        for (int round = 0; round < 2; round++) {
          for (Backend backend : backends) {
            long before = ok.get();
            Await.until("calls flow", () -> ok.get() > before + 50);
            backend.stop();
            long stopped = ok.get();
            Await.until("calls flow without it",
                () -> ok.get() > stopped + 50);
            backend.start();
          }
        }
        running.set(false);
        for (Future<?> client : clients) {
          client.get(30, TimeUnit.SECONDS);
        }
        assertThat(ok.get()).isGreaterThan(300);
        assertThat(policy.done.get()).as("onDone calls, one per pick that returned a subconn")
            .isEqualTo(policy.picks.get());
        assertThat(policy.doneStarted.get()).as("picks whose stream started")
            .isEqualTo(policy.started.get());
        assertThat(policy.started.get()).as("a started stream for every call that succeeded, and more")
            .isGreaterThanOrEqualTo(ok.get());
        for (Backend backend : backends) {
          assertThat(backend.badTokens).as("calls to %s without exactly its one token", backend.token)
              .isEmpty();
          assertThat(backend.calls.get()).isPositive();
        }
      }
    } finally {
      load.shutdownNow();
      for (Backend backend : backends) {
        backend.close();
      }
    }
  }
}
