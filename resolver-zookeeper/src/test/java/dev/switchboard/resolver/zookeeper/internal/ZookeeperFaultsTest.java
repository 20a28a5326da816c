package dev.switchboard.resolver.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.Await;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import dev.switchboard.resolver.zookeeper.ZookeeperResolverOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper's bad days, each with wait-for-ready calls running through a real channel (round_robin
 * over test backends registered with curator-x-discovery) across the fault: none may fail. After
 * the fault the resolver must converge: a backend registered once ZooKeeper is back gets calls.
 */
class ZookeeperFaultsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CALLERS = 4;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private TestBackend backend(String name) {
    return closeLater(TestBackend.newBuilder().name(name).address(new InetSocketAddress("127.0.0.1", 0))
        .build().start());
  }

  /** Wait-for-ready echo calls from a few threads, until closed; counts what succeeded and failed. */
  private static final class Callers implements AutoCloseable {
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    final Set<String> backendsSeen = ConcurrentHashMap.newKeySet();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean running = true;

    Callers(ManagedChannel channel) {
      for (int i = 0; i < CALLERS; i++) {
        Thread t = new Thread(() -> {
          while (running) {
            try {
              TestMethods.EchoResponse response = ClientCalls.blockingUnaryCall(channel, TestMethods.ECHO,
                  CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(WAIT), TestMethods.EchoRequest.of("x"));
              backendsSeen.add(response.backend());
              succeeded.incrementAndGet();
            } catch (RuntimeException e) {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, e);
            }
          }
        }, "caller-" + i);
        t.start();
        threads.add(t);
      }
    }

    /** Waits until {@code more} calls have succeeded from now on. */
    void awaitMore(String what, long more) throws InterruptedException {
      long target = succeeded.get() + more;
      Await.until(what, WAIT, () -> succeeded.get() >= target);
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        t.join(WAIT.toMillis());
      }
    }

    void assertNoneFailed() {
      assertThat(failed.get()).as("failed calls (first: %s)", firstFailure.get()).isZero();
    }
  }

  /** A round_robin channel to {@code zk://ensemble/services/echo}, and callers on it that reach both backends. */
  private Callers callersThroughAChannel(String ensemble) throws InterruptedException {
    ManagedChannel channel = ChannelBuilder.forTarget("zk://" + ensemble + "/services/echo")
        .usePlaintext()
        .defaultLoadBalancingPolicy("round_robin")
        .resolverOption(ZookeeperResolverOptions.SESSION_TIMEOUT, Duration.ofSeconds(10))
        .build();
    closeLater(channel::shutdownNow);
    Callers callers = closeLater(new Callers(channel));
    Await.until("calls reach both backends", WAIT, () -> callers.backendsSeen.size() == 2);
    return callers;
  }

  private interface Fault {
    /** Breaks ZooKeeper, waits until the resolver's session feels it, and returns how to mend it. */
    ThrowingRunnable inject() throws Exception;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * Registers two backends, calls across {@code fault} (calls must go on while it lasts), mends it,
   * then registers a third backend, which must get calls: the resolver re-read ZooKeeper.
   */
  private void callsAcross(String connectString, Fault fault) throws Exception {
    ZooKeeperPeer.Registrant registrant = closeLater(new ZooKeeperPeer.Registrant(connectString));
    TestBackend one = backend("backend-1");
    TestBackend two = backend("backend-2");
    registrant.register("echo", "1", one.port());
    registrant.register("echo", "2", two.port());
    Callers callers = callersThroughAChannel(connectString);

    ThrowingRunnable mend = fault.inject();
    callers.backendsSeen.clear();
    callers.awaitMore("calls while ZooKeeper is broken", 200);
    assertThat(callers.backendsSeen).as("the last addresses stay in use")
        .containsExactlyInAnyOrder("backend-1", "backend-2");
    mend.run();

    TestBackend three = backend("backend-3");
    registrant.register("echo", "3", three.port());
    Await.until("calls reach the backend registered after the fault", WAIT,
        () -> callers.backendsSeen.contains("backend-3"));
    callers.close();
    callers.assertNoneFailed();
  }

  @Test
  void callsGoOnWhileTheServerIsStoppedAndTheResolverConvergesAfterItsRestart() throws Exception {
    TestingServer server = closeLater(ZooKeeperPeer.start());
    String connectString = server.getConnectString();
    callsAcross(connectString, () -> {
      server.stop();
      Await.until("the resolver's session disconnected", WAIT, () -> !connected(connectString));
      return server::restart;
    });
  }

  @Test
  void callsGoOnWhenTheResolversOwnSessionExpiresAndItRereadsInTheNewOne() throws Exception {
    TestingServer server = closeLater(ZooKeeperPeer.start());
    String connectString = server.getConnectString();
    callsAcross(connectString, () -> {
      ZooKeeper resolverSession = ZookeeperSessions.session(connectString).orElseThrow()
          .getZookeeperClient().getZooKeeper();
      long expired = resolverSession.getSessionId();
      KillSession.kill(resolverSession);
      Await.until("a new session", WAIT, () -> sessionId(connectString) != expired
          && sessionId(connectString) != 0);
      return () -> {};
    });
  }

  private static boolean connected(String connectString) {
    return ZookeeperSessions.session(connectString).orElseThrow().getZookeeperClient().isConnected();
  }

  /** The member the resolver's session is connected to; null while it is connected to none. */
  private static InstanceSpec connectedMember(TestingCluster cluster, String connectString) {
    try {
      return cluster.findConnectionInstance(
          ZookeeperSessions.session(connectString).orElseThrow().getZookeeperClient().getZooKeeper());
    } catch (Exception e) {
      return null;
    }
  }

  private static long sessionId(String connectString) {
    try {
      return ZookeeperSessions.session(connectString).orElseThrow().getZookeeperClient().getZooKeeper()
          .getSessionId();
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void changesMadeWhileTheResolverWasCutOffAreReadWhenItReconnects() throws Exception {
    TestingServer server = closeLater(ZooKeeperPeer.start());
    TcpProxy proxy = closeLater(new TcpProxy(server.getPort()));
    String throughProxy = "127.0.0.1:" + proxy.port();
    ZooKeeperPeer.Registrant registrant = closeLater(new ZooKeeperPeer.Registrant(server.getConnectString()));
    TestBackend one = backend("backend-1");
    TestBackend two = backend("backend-2");
    registrant.register("echo", "1", one.port());
    ServiceInstance<Void> second = registrant.register("echo", "2", two.port());
    Callers callers = callersThroughAChannel(throughProxy);

    proxy.cut();
    Await.until("the resolver's session disconnected", WAIT, () -> !connected(throughProxy));
    registrant.unregister(second);
    TestBackend three = backend("backend-3");
    registrant.register("echo", "3", three.port());
    callers.backendsSeen.clear();
    callers.awaitMore("calls while the resolver is cut off", 200);
    assertThat(callers.backendsSeen).as("the last addresses stay in use")
        .containsExactlyInAnyOrder("backend-1", "backend-2");

    proxy.restore();
    Await.until("calls reach the backend registered meanwhile", WAIT,
        () -> callers.backendsSeen.contains("backend-3"));
    callers.awaitMore("calls picked before the new picker done", 50);
    long servedByTwo = two.callsServed();
    callers.awaitMore("calls after the re-read", 200);
    assertThat(two.callsServed()).as("the backend unregistered meanwhile gets no more calls")
        .isEqualTo(servedByTwo);
    callers.close();
    callers.assertNoneFailed();
  }

  private static TestingCluster cluster() throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      specs.add(new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1"));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return cluster;
  }

  @Test
  void callsGoOnWhenTheClusterMemberTheResolverIsConnectedToIsKilled() throws Exception {
    TestingCluster cluster = closeLater(cluster());
    String connectString = cluster.getConnectString();
    callsAcross(connectString, () -> {
      InstanceSpec connected = connectedMember(cluster, connectString);
      cluster.killServer(connected);
      Await.until("the resolver's session on another member", WAIT, () -> {
        InstanceSpec now = connectedMember(cluster, connectString);
        return now != null && !now.equals(connected);
      });
      return () -> cluster.restartServer(connected);
    });
  }

  @Test
  void callsGoOnWhileTheClusterHasLostItsQuorumAndTheResolverConvergesWhenItIsBack() throws Exception {
    TestingCluster cluster = closeLater(cluster());
    String connectString = cluster.getConnectString();
    callsAcross(connectString, () -> {
      InstanceSpec connected = connectedMember(cluster, connectString);
      InstanceSpec another = cluster.getInstances().stream().filter(s -> !s.equals(connected)).findFirst()
          .orElseThrow();
      cluster.killServer(connected);
      cluster.killServer(another);
      Await.until("the resolver's session disconnected", WAIT, () -> !connected(connectString));
      return () -> {
        cluster.restartServer(connected);
        cluster.restartServer(another);
      };
    });
  }
}
