package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code switchboard call} in process, against a real {@link TestBackend} on loopback. */
class CallCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private TestBackend backend;

  @BeforeEach
  void startBackend() {
    backend = TestBackend.newBuilder().name("b1").build().start();
  }

  @AfterEach
  void stopBackend() {
    backend.close();
  }

  private int call(String... options) {
    List<String> argv = new ArrayList<>(List.of("call", "127.0.0.1:" + backend.port(), "--plaintext"));
    argv.addAll(List.of(options));
    return new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), ImageDefaults.NONE).run(argv);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void echoCallsAreCountedByTheBackendsAddressAndTheNameTheirResponseGives() {
    assertThat(call("--method", TestMethods.ECHO.fullMethodName(), "-n", "6", "--concurrency", "3"))
        .as(err()).isZero();
    assertThat(out()).startsWith("6 calls in ").contains(", 0 failed\n")
        .containsPattern("(?m)^  127\\.0\\.0\\.1:" + backend.port() + " \\(b1\\) +6 +#+$")
        .containsPattern("(?m)^  OK +6$");
    assertThat(backend.callsServed(TestMethods.ECHO.fullMethodName())).isEqualTo(6);
  }

  @Test
  void healthChecksByDefaultAreCountedByTheBackendsAddress() {
    assertThat(call("-n", "4")).as(err()).isZero();
    assertThat(out()).containsPattern("(?m)^  127\\.0\\.0\\.1:" + backend.port() + " +4 +#+$")
        .containsPattern("(?m)^  OK +4$")
        .doesNotContain(CallStats.NO_BACKEND);
    assertThat(backend.callsServed(TestMethods.HEALTH_CHECK.fullMethodName())).isEqualTo(4);
  }

  @Test
  void healthChecksOverThreeBackendsWithRoundRobinShowEachBackendWithTheCallsItServed()
      throws Exception {
    List<TestBackend> three = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        three.add(TestBackend.newBuilder().name("rr-" + i).build().start());
      }
      FixedResolverProvider resolver = new FixedResolverProvider(ResolverState.newBuilder()
          .addresses(three.stream().map(b -> Address.of(b.address())).toList()).build());
      CallCommand command = new CallCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
          ImageDefaults.NONE, PluginRegistry.newBuilder().addResolverProvider(resolver).build());

      command.run(CallSettings.parse(
          List.of(resolver.target(), "--plaintext", "--lb", "round_robin", "-n", "30"), ImageDefaults.NONE),
          PluginOptionArgs.parse("call", Args.parse("call", List.of(), Set.of(), Set.of()),
              PluginRegistry.newBuilder().build()));

      assertThat(out()).startsWith("30 calls in ").contains(", 0 failed\n")
          .containsPattern("(?m)^  OK +30$");
      long total = 0;
      for (TestBackend b : three) {
        long served = b.callsServed(TestMethods.HEALTH_CHECK.fullMethodName());
        assertThat(served).as("calls served by " + b.address()).isPositive();
        assertThat(out()).containsPattern("(?m)^  127\\.0\\.0\\.1:" + b.port() + " +" + served + " +#+$");
        total += served;
      }
      assertThat(total).isEqualTo(30);
    } finally {
      three.forEach(TestBackend::close);
    }
  }

  @Test
  void methodTheServerLacksFailsEveryCallInOneLine() {
    assertThat(call("--method", "no.Such/Method", "-n", "3")).isEqualTo(1);
    assertThat(out()).isEmpty();
    assertThat(err().lines()).singleElement().asString()
        .startsWith("switchboard: call: 127.0.0.1:" + backend.port()
            + ": all 3 calls failed (first: UNIMPLEMENTED");
  }

  @Test
  void policyWithoutBalancerIsABadArgument() {
    assertThat(call("--lb", "least_request")).isEqualTo(2);
    assertThat(err()).startsWith("switchboard: call: ").contains("least_request")
        .contains("round_robin").endsWith(")\n");
    assertThat(backend.callsServed()).isZero();
  }
}
