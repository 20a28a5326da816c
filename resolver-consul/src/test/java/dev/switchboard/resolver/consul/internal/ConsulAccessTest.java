package dev.switchboard.resolver.consul.internal;

import static dev.switchboard.resolver.consul.internal.ConsulResolverTest.awaitState;
import static dev.switchboard.resolver.consul.internal.ConsulResolverTest.ports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.testing.FakeResolverClientConn;
import dev.switchboard.channel.testing.Targets;
import dev.switchboard.resolver.consul.ConsulResolverOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ACL tokens from every source, and HTTPS to the agent, against real agents configured for them. */
class ConsulAccessTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String ROOT_TOKEN = "2f3c5a9e-7d1b-4c1e-9a44-1f6b0c9d2e10";
  private static final Path TLS = Path.of(System.getProperty("switchboard.tls.dir",
      "../grpc-channel-testing-backend/src/test/resources/tls"));

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<Resolver> resolvers = new ArrayList<>();

  @AfterEach
  void close() {
    resolvers.forEach(Resolver::close);
    scheduler.shutdownNow();
  }

  private FakeResolverClientConn resolve(Map<String, String> environment, String target, PluginOptions options) {
    FakeResolverClientConn conn = FakeResolverClientConn.create();
    resolvers.add(new ConsulResolverProvider(environment::get).newResolver(Targets.parse(target), conn,
        ConsulResolverTest.args(scheduler, options)));
    return conn;
  }

  @Test
  void theAclTokenComesFromTheOptionItsFileOrTheEnvironmentAndNeverTheTarget(@TempDir Path dir) throws Exception {
    try (ConsulAgentProcess agent = ConsulAgentProcess.start(List.of("-hcl",
        "acl { enabled = true default_policy = \"deny\" tokens { master = \"" + ROOT_TOKEN + "\" } }"), ROOT_TOKEN)) {
      agent.register("orders", "orders-1", 1001, "");
      String target = "consul://" + agent.address() + "/orders";
      Path tokenFile = Files.writeString(dir.resolve("token"), ROOT_TOKEN + "\n");

      FakeResolverClientConn none = resolve(Map.of(), target, PluginOptions.NONE);
      FakeResolverClientConn option = resolve(Map.of(), target,
          PluginOptions.newBuilder().set(ConsulResolverOptions.TOKEN, ROOT_TOKEN).build());
      FakeResolverClientConn optionFile = resolve(Map.of(), target,
          PluginOptions.newBuilder().set(ConsulResolverOptions.TOKEN_FILE, tokenFile.toString()).build());
      FakeResolverClientConn variable = resolve(Map.of(ConsulResolverOptions.TOKEN_VARIABLE, ROOT_TOKEN), target,
          PluginOptions.NONE);
      FakeResolverClientConn variableFile = resolve(
          Map.of(ConsulResolverOptions.TOKEN_FILE_VARIABLE, tokenFile.toString()), target, PluginOptions.NONE);

      // Without a token the ACLs hide the service: an empty answer.
      assertThat(awaitState(none, s -> true).endpoints()).isEmpty();
      for (FakeResolverClientConn conn : List.of(option, optionFile, variable, variableFile)) {
        awaitState(conn, s -> ports(s).equals(List.of(1001)));
      }
      assertThatThrownBy(() -> resolve(Map.of(), target + "?token=" + ROOT_TOKEN, PluginOptions.NONE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consul.token");
      assertThatThrownBy(() -> resolve(Map.of(), target, PluginOptions.newBuilder()
          .set(ConsulResolverOptions.TOKEN_FILE, dir.resolve("missing").toString()).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("token file of option consul.token-file");
    }
  }

  @Test
  void httpsToTheAgentIsVerifiedWithTheCaFile() throws Exception {
    String cert = TLS.resolve("server.pem").toAbsolutePath().toString();
    String key = TLS.resolve("server.key").toAbsolutePath().toString();
    try (ConsulAgentProcess tls = ConsulAgentProcess.startWithHttps(cert, key)) {
      tls.register("orders", "orders-1", 1001, "");
      String target = "consul://127.0.0.1:" + tls.httpsPort() + "/orders";

      FakeResolverClientConn verified = resolve(Map.of(), target, PluginOptions.newBuilder()
          .set(ConsulResolverOptions.HTTPS, true).set(ConsulResolverOptions.CA_FILE, cert).build());
      awaitState(verified, s -> ports(s).equals(List.of(1001)));

      FakeResolverClientConn fromEnvironment = resolve(Map.of(ConsulResolverOptions.ADDRESS_VARIABLE,
          "https://127.0.0.1:" + tls.httpsPort(), ConsulResolverOptions.CA_FILE_VARIABLE, cert),
          "consul:///orders", PluginOptions.NONE);
      awaitState(fromEnvironment, s -> ports(s).equals(List.of(1001)));
      FakeResolverClientConn sslVariable = resolve(Map.of(ConsulResolverOptions.ADDRESS_VARIABLE,
          "127.0.0.1:" + tls.httpsPort(), ConsulResolverOptions.SSL_VARIABLE, "true",
          ConsulResolverOptions.CA_FILE_VARIABLE, cert), "consul:///orders", PluginOptions.NONE);
      awaitState(sslVariable, s -> ports(s).equals(List.of(1001)));

      FakeResolverClientConn untrusted = resolve(Map.of(), target,
          PluginOptions.newBuilder().set(ConsulResolverOptions.HTTPS, true).build());
      Status error = untrusted.awaitError(WAIT);
      assertThat(error.description()).hasValueSatisfying(d -> assertThat(d)
          .contains("consul agent https://127.0.0.1:" + tls.httpsPort()).contains("SSL"));
    }
  }
}
