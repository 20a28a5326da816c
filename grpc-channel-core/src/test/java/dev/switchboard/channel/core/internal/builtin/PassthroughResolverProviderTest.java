package dev.switchboard.channel.core.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.api.resolver.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PassthroughResolverProviderTest {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<ResolverState> states = new CopyOnWriteArrayList<>();
  private final List<Status> errors = new CopyOnWriteArrayList<>();
  private final ClientConn conn = new ClientConn() {
    @Override
    public Status updateState(ResolverState state) {
      states.add(state);
      return Status.OK;
    }

    @Override
    public void reportError(Status error) {
      errors.add(error);
    }

    @Override
    public ConfigOrError<ServiceConfig> parseServiceConfig(String json) {
      throw new UnsupportedOperationException();
    }
  };

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private Resolver resolve(String endpoint) {
    ResolverArgs args = ResolverArgs.newBuilder().scheduler(executor).offloadExecutor(executor).defaultPort(443).build();
    return new PassthroughResolverProvider()
        .newResolver(Target.newBuilder("passthrough").endpoint(endpoint).build(), conn, args);
  }

  private void awaitStates(int n) {
    long end = System.nanoTime() + 10_000_000_000L;
    while (states.size() + errors.size() < n) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no resolution");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void ipLiteralsResolveInlineWithTheDefaultPort() throws Exception {
    resolve("127.0.0.1:8080");
    resolve("[::1]:9090");
    resolve("::1");
    resolve("10.0.0.1");

    assertThat(states).extracting(s -> s.addresses().get(0).socketAddress()).containsExactly(
        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080),
        new InetSocketAddress(InetAddress.getByName("::1"), 9090),
        new InetSocketAddress(InetAddress.getByName("::1"), 443),
        new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 443));
  }

  @Test
  void hostNamesAreLookedUpOffThreadAndAgainOnResolveNow() {
    Resolver resolver = resolve("localhost:7000");
    awaitStates(1);
    resolver.resolveNow();
    awaitStates(2);

    assertThat(states).allSatisfy(s -> assertThat(s.addresses()).isNotEmpty()
        .allSatisfy(a -> assertThat(((InetSocketAddress) a.socketAddress()).getPort()).isEqualTo(7000)));
  }

  @Test
  void badEndpointsFailNamingTheEndpoint() {
    for (String bad : List.of("host:port", "host:0", "[::1", "[127.0.0.1]:80", ":80", "bad host:80")) {
      assertThatThrownBy(() -> resolve(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void nothingIsReportedAfterClose() {
    Resolver resolver = resolve("127.0.0.1:1");
    resolver.close();
    resolver.resolveNow();

    assertThat(states).hasSize(1);
  }
}
