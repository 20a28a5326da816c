package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.balancer.grpclb.internal.FakeBalancer;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.testing.Dnsmasq;
import dev.switchboard.channel.testing.backend.TestBackend;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the jlink image that the {@code package} phase built ({@code target/switchboard}) as a user
 * would, through its launcher.
 */
class ImageIT {
  private static final Path IMAGE = Path.of(System.getProperty("switchboard.image", "target/switchboard"));
  private static final Path IT_PLUGINS =
      Path.of(System.getProperty("switchboard.itPlugins", "target/it-plugins"));

  private static final String ROUND_ROBIN = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";

  /** The outcome of one process. */
  private record Run(int exitCode, String out, String err) {}

  @Test
  void imageHoldsNoAutomaticModule() throws Exception {
    List<String> modules = modules();
    assertThat(modules).contains("dev.switchboard.cli", "dev.switchboard.channel.core", "java.base");
    for (String module : modules) {
      Run describe = run(Map.of(), IMAGE.resolve("bin/java").toString(), "--describe-module", module);
      assertThat(describe.exitCode()).isZero();
      // The first line is "name@version", followed by " automatic" for an automatic module.
      assertThat(describe.out().lines().findFirst()).hasValueSatisfying(
          first -> assertThat(first).as(module).doesNotContain("automatic").startsWith(module));
    }
  }

  @Test
  void launcherRunsFromTheImageAloneWithAnEmptyClassPath() throws Exception {
    Run run = switchboard(Map.of("JDK_JAVA_OPTIONS", "-XshowSettings:properties --show-module-resolution"),
        "help");
    assertThat(run.exitCode()).isZero();
    // The module resolution trace goes to stdout, before the command's output.
    assertThat(run.out()).contains("usage: switchboard");
    assertThat(run.err().lines()).contains("    java.class.path = ");
    List<String> resolution = run.out().lines()
        .filter(l -> l.startsWith("root ") || l.contains(" requires ") || l.contains(" binds "))
        .collect(Collectors.toList());
    assertThat(resolution).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" jrt:/"));
  }

  @Test
  void pluginsListsThePluginModulesOfTheImageAndPassesItsDefaultsCheck() throws Exception {
    Run run = switchboard(Map.of(), "plugins", "--check-defaults");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    List<String> pluginModules = modules().stream()
        .filter(m -> m.matches("dev\\.switchboard\\.(resolver|balancer)\\..*"))
        .collect(Collectors.toList());
    // Core's built-ins, and every plugin module linked in.
    assertThat(run.out()).startsWith("KIND ").contains("passthrough", "pick_first");
    assertThat(pluginModules).allSatisfy(m -> assertThat(run.out()).contains(m));
    assertThat(run.out()).containsPattern("(?m)^default scheme: .*, default policy: .*$");
  }

  /** demo and call need the test backend only: the testing kit and its manual resolver stay out. */
  @Test
  void imageHoldsTheTestBackendButNotTheTestingKitAndItsManualResolver() throws Exception {
    assertThat(modules()).contains("dev.switchboard.channel.testing.backend")
        .doesNotContain("dev.switchboard.channel.testing");
    Run run = switchboard(Map.of(), "plugins");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).noneSatisfy(line -> assertThat(line).containsPattern("\\bmanual\\b"));
    assertThat(run.out()).doesNotContain("dev.switchboard.channel.testing ");
  }

  @Test
  void badCommandIsOneLineOnStderrAndANonZeroExit() throws Exception {
    Run run = switchboard(Map.of(), "plugins", "--frobnicate");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .isEqualTo("switchboard: plugins: unknown option '--frobnicate' (expected one of:"
            + " --check-defaults, --plugin-path)");
  }

  @Test
  void resolveOfAnUnknownSchemeIsOneLineListingTheSchemes() throws Exception {
    Run run = switchboard(Map.of(), "resolve", "nope://x", "--once");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("switchboard: target 'nope://x': no resolver for scheme 'nope' (available: [")
        .contains("passthrough");
  }

  @Test
  void fileResolverFromAPluginFolderResolvesThroughTheImage() throws Exception {
    Path backends = Files.createTempFile("switchboard-it", ".txt");
    try {
      Files.writeString(backends, "127.0.0.1:50051\n[::1]:50052\n");
      Run run = switchboard(Map.of(), "resolve", "file://" + backends.toAbsolutePath(), "--once",
          "--plugin-path", IT_PLUGINS.toAbsolutePath().toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("#1 update: 2 addresses\n"
          + "  127.0.0.1:50051\n"
          + "  [0:0:0:0:0:0:0:1]:50052\n"
          + "  service config: none from the resolver\n");
    } finally {
      Files.deleteIfExists(backends);
    }
  }

  /**
   * The examples' jars, built by the reactor, dropped into a plugin folder: health checks go
   * through the file resolver to three backends with round_robin (of the image) or least_request
   * (of the folder), and the spread names each by its address.
   */
  @ParameterizedTest
  @ValueSource(strings = {"round_robin", "least_request"})
  void callThroughTheFileResolverOfAPluginFolderSpreadsOverTheBackendsItNames(String policy) throws Exception {
    Path folder = IT_PLUGINS.toAbsolutePath();
    assertThat(folder.resolve("example-resolver-file-" + exampleVersion() + ".jar")).exists();
    Path file = Files.createTempFile("switchboard-it", ".txt");
    List<TestBackend> backends = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        backends.add(TestBackend.newBuilder().name("it-file-" + i).build().start());
      }
      Files.writeString(file, backends.stream().map(b -> "127.0.0.1:" + b.port() + "\n")
          .collect(Collectors.joining()));
      Run run = switchboard(Map.of(), "call", "file://" + file.toAbsolutePath(), "--plaintext",
          "--lb", policy, "-n", "30", "--plugin-path", folder.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("30 calls in ").contains(", 0 failed")
          .containsPattern("(?m)^  OK +30$").doesNotContain(CallStats.NO_BACKEND);
      long total = 0;
      for (TestBackend b : backends) {
        long served = b.callsServed(TestMethods.HEALTH_CHECK.fullMethodName());
        assertThat(served).as("calls served by " + b.address()).isPositive();
        assertThat(run.out()).containsPattern("(?m)^  127\\.0\\.0\\.1:" + b.port() + " +" + served + " +#+$");
        total += served;
      }
      assertThat(total).isEqualTo(30);
    } finally {
      backends.forEach(TestBackend::close);
      Files.deleteIfExists(file);
    }
  }

  /**
   * The folder also holds a copy of the API jar: were it defined again in the plugin layer, the
   * plugin's provider would implement a type the registry does not look for, and go missing.
   */
  @Test
  void fileResolverDroppedIntoAPluginFolderIsListedWithItsLayer() throws Exception {
    Path folder = IT_PLUGINS.toAbsolutePath();
    assertThat(folder.resolve("example-resolver-file-" + exampleVersion() + ".jar")).exists();
    assertThat(folder.resolve("example-balancer-least-request-" + exampleVersion() + ".jar")).exists();
    assertThat(folder.resolve("grpc-channel-api-" + projectVersion() + ".jar")).exists();
    for (Run run : List.of(
        switchboard(Map.of(), "plugins", "--plugin-path", folder.toString()),
        switchboard(Map.of("SWITCHBOARD_PLUGIN_PATH", folder.toString()), "plugins"))) {
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out().lines()).anySatisfy(line -> assertThat(line.split(" +")).containsSubsequence(
          "resolver", "file", "com.example.resolver.file", exampleVersion(), "5", "yes", "plugin",
          "layer", "1", "(" + folder + ")", "*"));
      assertThat(run.out().lines()).anySatisfy(line -> assertThat(line.split(" +")).containsSubsequence(
          "balancer", "least_request", "com.example.balancer.leastrequest", exampleVersion(), "5", "yes",
          "plugin", "layer", "1", "(" + folder + ")", "*"));
    }
  }

  @Test
  void demoSpreadsOverThreeBackendsLosesNoCallWhenOneStopsAndSeesItRejoin() throws Exception {
    Run run = switchboard(Map.of(), "demo");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("backend-1", "backend-2", "backend-3")
        .contains("backend-2 shuts down (GOAWAY) after 30 of them")
        .containsPattern("  of which after backend-2 stopped: \\d+ calls, \\{backend-1=\\d+, backend-3=\\d+")
        .containsPattern("backend-2 rejoined after \\d+ calls?, ")
        .contains("done: no failed call, every backend served")
        .doesNotContainPattern("[1-9]\\d* failed");
    // One report per phase of calls: all up, one stopped, all up again.
    assertThat(run.out().lines().filter(l -> l.endsWith(", 0 failed"))).hasSize(3);
  }

  @Test
  void callToATestBackendSucceedsAndCountsTheHealthChecks() throws Exception {
    try (TestBackend backend = TestBackend.newBuilder().name("it-backend").build().start()) {
      Run run = switchboard(Map.of(), "call", "127.0.0.1:" + backend.port(), "--plaintext", "-n", "20");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("20 calls in ").contains(", 0 failed").containsPattern("(?m)^  OK +20$")
          .containsPattern("(?m)^  127\\.0\\.0\\.1:" + backend.port() + " +20 +#+$");
      assertThat(backend.callsServed(TestMethods.HEALTH_CHECK.fullMethodName())).isEqualTo(20);
    }
  }

  /**
   * With its archive (the default build), the image loads the classes of a call, and of the
   * reflection client of {@code describe}, from it; built without one
   * ({@code -Dswitchboard.cds.skip=true}), the launcher runs from the image's modules instead.
   */
  @Test
  void launcherLoadsTheClassesOfItsCommandsFromTheImagesArchiveWhenItHasOne() throws Exception {
    boolean archived = Files.exists(IMAGE.resolve("lib/server/classes.jsa"));
    try (TestBackend backend = TestBackend.newBuilder().name("it-cds").build().start()) {
      Map<String, String> logClassLoading = Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info");
      Run call = switchboard(logClassLoading, "call", "127.0.0.1:" + backend.port(), "--plaintext", "-n", "1");
      assertThat(call.exitCode()).as(call.err()).isZero();
      assertThat(call.out()).contains(", 0 failed");
      // The backend offers no reflection: describe fails, having loaded its reflection client.
      Run describe = switchboard(logClassLoading, "describe", "127.0.0.1:" + backend.port(), "--plaintext");
      assertThat(describe.exitCode()).as(describe.out()).isEqualTo(1);
      if (archived) {
        // The CLI's, core's and Netty's classes, beside the JDK's, in the one archive.
        assertThat(call.out())
            .contains("dev.switchboard.cli.internal.Main source: shared objects file")
            .contains("dev.switchboard.channel.core.ChannelBuilder source: shared objects file")
            .contains("io.netty.handler.codec.http2.Http2ConnectionHandler source: shared objects file");
        assertThat(describe.out()).contains("dev.switchboard.cli.internal.ReflectionSource source: shared objects file");
      } else {
        assertThat(call.out()).contains("dev.switchboard.cli.internal.Main source: jrt:/dev.switchboard.cli");
      }
    }
  }

  @Test
  void callOfTheEchoNamesTheBackendThatAnsweredByAddressAndName() throws Exception {
    try (TestBackend backend = TestBackend.newBuilder().name("it-echo").build().start()) {
      Run run = switchboard(Map.of(), "call", "127.0.0.1:" + backend.port(), "--plaintext", "-n", "3",
          "--method", TestMethods.ECHO.fullMethodName(), "--lb", "round_robin");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).containsPattern("(?m)^  127\\.0\\.0\\.1:" + backend.port() + " \\(it-echo\\) +3 +#+$");
    }
  }

  /**
   * Two backends registered with curator-x-discovery in a real ZooKeeper, and a service config in
   * the service's znode: {@code resolve} prints both, each with the balancer-only attributes the zk
   * resolver gives it (znode, id, metadata, zone, weight), and the config.
   */
  @Test
  void resolveOfAZookeeperServicePrintsEachInstanceWithItsAttributesAndTheServiceConfig() throws Exception {
    try (ZookeeperRegistry registry = ZookeeperRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("zk-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("zk-2").build().start()) {
      registry.serviceConfig("echo", ROUND_ROBIN);
      String id1 = registry.register("echo", one, Map.of("zone", "zone-a", "weight", 3));
      String id2 = registry.register("echo", two, Map.of("zone", "zone-b"));

      Run run = switchboard(Map.of(), "resolve", registry.target("echo"), "--once");
      assertThat(run.exitCode()).as(run.err()).isZero();
      // No SLF4J warning, no ZooKeeper log line: the image links slf4j-nop.
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("#1 update: 2 addresses\n")
          .endsWith("  service config: " + ROUND_ROBIN + "\n")
          .doesNotContain("attributes: ");
      assertThat(run.out()).containsPattern("(?m)^  127\\.0\\.0\\.1:" + one.port()
          + " balancer\\{zk\\.znode=/services/echo/" + id1 + ", zk\\.instance-id=" + id1
          + ", zk\\.metadata=\\{[^}]*zone=zone-a[^}]*\\}, zk\\.zone=zone-a, zk\\.weight=3\\}$");
      assertThat(run.out()).containsPattern("(?m)^  127\\.0\\.0\\.1:" + two.port()
          + " balancer\\{zk\\.znode=/services/echo/" + id2 + ", zk\\.instance-id=" + id2
          + ", zk\\.metadata=\\{zone=zone-b\\}, zk\\.zone=zone-b\\}$");
    }
  }

  /** The service config of the znode asks for round_robin: echo calls go to both instances. */
  @Test
  void callThroughZookeeperSpreadsOverTheRegisteredInstancesWithNoFailure() throws Exception {
    try (ZookeeperRegistry registry = ZookeeperRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("zk-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("zk-2").build().start()) {
      registry.serviceConfig("echo", ROUND_ROBIN);
      registry.register("echo", one, Map.of());
      registry.register("echo", two, Map.of());

      Run run = switchboard(Map.of(), "call", registry.target("echo"), "--plaintext", "-n", "20",
          "--method", TestMethods.ECHO.fullMethodName());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
      assertEchoSpread(run, 20, one, two);
    }
  }

  /**
   * A znode under the service that holds no instance (not JSON) is left out: {@code resolve} names
   * it in the state's attributes ({@code zk.skipped-instances}), and calls go to the others.
   */
  @Test
  void corruptInstanceZnodeIsNamedByResolveAndCallsGoToTheValidInstances() throws Exception {
    try (ZookeeperRegistry registry = ZookeeperRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("zk-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("zk-2").build().start()) {
      registry.serviceConfig("echo", ROUND_ROBIN);
      registry.register("echo", one, Map.of());
      registry.register("echo", two, Map.of());
      registry.write(ZookeeperRegistry.serviceZnode("echo") + "/corrupt", "{\"name\": \"echo\", \"address\":");

      Run resolve = switchboard(Map.of(), "resolve", registry.target("echo"), "--once");
      assertThat(resolve.exitCode()).as(resolve.err()).isZero();
      assertThat(resolve.out()).startsWith("#1 update: 2 addresses\n")
          .contains("  127.0.0.1:" + one.port() + " balancer{", "  127.0.0.1:" + two.port() + " balancer{")
          .containsPattern("(?m)^  attributes: \\{zk\\.skipped-instances=\\[/services/echo/corrupt: [^,\\]]+\\]\\}$")
          .endsWith("  service config: " + ROUND_ROBIN + "\n");
      assertNothingOnStderrButTheWarningAbout("/services/echo/corrupt", resolve);

      Run call = switchboard(Map.of(), "call", registry.target("echo"), "--plaintext", "-n", "20",
          "--method", TestMethods.ECHO.fullMethodName());
      assertThat(call.exitCode()).as(call.err()).isZero();
      assertNothingOnStderrButTheWarningAbout("/services/echo/corrupt", call);
      assertEchoSpread(call, 20, one, two);
    }
  }

  /**
   * Two backends registered with a real Consul agent (tags, meta and weights on the first), and a
   * service config in KV ({@code grpc/service-config/echo}): {@code resolve} prints both, each with
   * the balancer-only attributes the consul resolver gives it (service id, passing, node,
   * datacenter, weight, meta, tags), and the config.
   */
  @Test
  void resolveOfAConsulServicePrintsEachInstanceWithItsAttributesAndTheServiceConfig() throws Exception {
    try (ConsulRegistry consul = ConsulRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("consul-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("consul-2").build().start()) {
      consul.serviceConfig("echo", ROUND_ROBIN);
      consul.register("echo", "echo-1", one.port(),
          "\"Tags\":[\"primary\",\"v2\"],\"Meta\":{\"zone\":\"zone-a\"},\"Weights\":{\"Passing\":3,\"Warning\":1}");
      consul.register("echo", "echo-2", two.port(), "");

      Run run = switchboard(Map.of(), "resolve", consul.target("echo"), "--once");
      assertThat(run.exitCode()).as(run.err()).isZero();
      // No log line of the relocated HTTP client.
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("#1 update: 2 addresses\n")
          .endsWith("  service config: " + ROUND_ROBIN + "\n")
          .doesNotContain("attributes: ");
      String passingOnNode =
          ", consul\\.passing=true, consul\\.node=" + ConsulRegistry.NODE + ", consul\\.datacenter=dc1";
      assertThat(run.out()).containsPattern("(?m)^  127\\.0\\.0\\.1:" + one.port()
          + " balancer\\{consul\\.service-id=echo-1" + passingOnNode + ", consul\\.weight=3"
          + ", consul\\.meta=\\{zone=zone-a\\}, consul\\.tags=\\[primary, v2\\]\\}$");
      // Consul gives an instance registered without weights the weight 1.
      assertThat(run.out()).containsPattern("(?m)^  127\\.0\\.0\\.1:" + two.port()
          + " balancer\\{consul\\.service-id=echo-2" + passingOnNode + ", consul\\.weight=1\\}$");
    }
  }

  /** The service config in KV asks for round_robin: echo calls go to both instances. */
  @Test
  void callThroughConsulSpreadsOverTheRegisteredInstancesWithNoFailure() throws Exception {
    try (ConsulRegistry consul = ConsulRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("consul-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("consul-2").build().start()) {
      consul.serviceConfig("echo", ROUND_ROBIN);
      consul.register("echo", "echo-1", one.port(), "");
      consul.register("echo", "echo-2", two.port(), "");

      Run run = switchboard(Map.of(), "call", consul.target("echo"), "--plaintext", "-n", "20",
          "--method", TestMethods.ECHO.fullMethodName());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
      assertEchoSpread(run, 20, one, two);
    }
  }

  /**
   * An instance registered without a port (Consul stores 0) is left out: {@code resolve} names it
   * in the state's attributes ({@code consul.skipped-instances}), and calls go to the others.
   */
  @Test
  void consulInstanceWithoutAPortIsNamedByResolveAndCallsGoToTheValidInstances() throws Exception {
    try (ConsulRegistry consul = ConsulRegistry.start();
        TestBackend one = TestBackend.newBuilder().name("consul-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("consul-2").build().start()) {
      consul.serviceConfig("echo", ROUND_ROBIN);
      consul.register("echo", "echo-1", one.port(), "");
      consul.register("echo", "echo-2", two.port(), "");
      consul.register("echo", "echo-no-port", 0, "");

      Run resolve = switchboard(Map.of(), "resolve", consul.target("echo"), "--once");
      assertThat(resolve.exitCode()).as(resolve.err()).isZero();
      assertThat(resolve.err()).isEmpty();
      assertThat(resolve.out()).startsWith("#1 update: 2 addresses\n")
          .contains("  127.0.0.1:" + one.port() + " balancer{", "  127.0.0.1:" + two.port() + " balancer{")
          .contains("  attributes: {consul.skipped-instances=[echo-no-port: Service.Port 0 is out of range"
              + " (expected: 1-65535)]}\n")
          .endsWith("  service config: " + ROUND_ROBIN + "\n");

      Run call = switchboard(Map.of(), "call", consul.target("echo"), "--plaintext", "-n", "20",
          "--method", TestMethods.ECHO.fullMethodName());
      assertThat(call.exitCode()).as(call.err()).isZero();
      assertThat(call.err()).isEmpty();
      assertEchoSpread(call, 20, one, two);
    }
  }

  /**
   * Over HTTPS, with the certificate {@code consul tls cert create} makes (an EC key): the image
   * links the JDK's EC provider (jdk.crypto.ec), without which the handshake fails; then calls go
   * to the instance the agent names.
   */
  @Test
  void consulResolverReachesTheAgentOverHttpsWithTheCertificateConsulMakes() throws Exception {
    try (ConsulRegistry consul = ConsulRegistry.startWithHttps();
        TestBackend one = TestBackend.newBuilder().name("consul-tls-1").build().start()) {
      consul.register("echo", "echo-1", one.port(), "");
      String target = "consul://127.0.0.1:" + consul.httpsPort() + "/echo";
      String[] https = {"--resolver-option", "consul.https=true",
          "--resolver-option", "consul.ca-file=" + consul.caFile()};

      Run resolve = switchboard(Map.of(), concat(new String[] {"resolve", target, "--once"}, https));
      assertThat(resolve.exitCode()).as(resolve.err()).isZero();
      assertThat(resolve.err()).isEmpty();
      assertThat(resolve.out()).isEqualTo("#1 update: 1 address\n"
          + "  127.0.0.1:" + one.port() + " balancer{consul.service-id=echo-1, consul.passing=true, consul.node="
          + ConsulRegistry.NODE + ", consul.datacenter=dc1, consul.weight=1}\n"
          + "  service config: none from the resolver\n");

      Run call = switchboard(Map.of(), concat(new String[] {"call", target, "--plaintext", "-n", "5",
          "--method", TestMethods.ECHO.fullMethodName()}, https));
      assertThat(call.exitCode()).as(call.err()).isZero();
      assertEchoSpread(call, 5, one);
    }
  }

  @Test
  void callRunsOnNioAndOnNativeEpollLoadedFromTheImageWhenAsked() throws Exception {
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    Assumptions.assumeTrue(os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
        "the image carries epoll's native library for Linux x86_64 only");
    // Netty logs through java.util.logging in the image; its loader names the library it loaded.
    Path logging = Files.createTempFile("switchboard-it", ".properties");
    Files.writeString(logging, "handlers=java.util.logging.ConsoleHandler\n"
        + "java.util.logging.ConsoleHandler.level=FINE\n.level=INFO\n"
        + "io.netty.util.internal.NativeLibraryLoader.level=FINE\n");
    String loaded = "Successfully loaded the library";
    String epollLibrary = "libnetty_transport_native_epoll_x86_64";
    try (TestBackend backend = TestBackend.newBuilder().name("it-epoll").build().start()) {
      String options = "-Djava.util.logging.config.file=" + logging.toAbsolutePath();
      Run epoll = switchboard(Map.of("JDK_JAVA_OPTIONS", options + " -Dswitchboard.transport.nio=false"),
          "call", "127.0.0.1:" + backend.port(), "--plaintext", "-n", "3");
      assertThat(epoll.exitCode()).as(epoll.err()).isZero();
      assertThat(epoll.out()).contains(", 0 failed");
      assertThat(epoll.err()).contains(loaded).contains(epollLibrary);

      // The CLI's default: a one-shot process.
      Run nio = switchboard(Map.of("JDK_JAVA_OPTIONS", options),
          "call", "127.0.0.1:" + backend.port(), "--plaintext", "-n", "3");
      assertThat(nio.exitCode()).as(nio.err()).isZero();
      assertThat(nio.out()).contains(", 0 failed");
      assertThat(nio.err()).doesNotContain(epollLibrary);
    } finally {
      Files.deleteIfExists(logging);
    }
  }

  @Test
  void callToAClosedPortIsOneLineAndExitCodeOneWithinTheDeadline() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    long start = System.nanoTime();
    Run run = switchboard(Map.of(), "call", "127.0.0.1:" + port, "--plaintext", "--deadline", "2s");
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("switchboard: call: 127.0.0.1:" + port + ": all 10 calls failed (first: UNAVAILABLE");
    // Ten calls of at most 2 s each would be 20 s: a refused connection fails them at once.
    assertThat(elapsedMillis).isLessThan(10_000);
  }

  /**
   * Asserts that {@code run}'s report shows {@code calls} echo calls, none failed, each backend
   * named with the calls it served, every backend some, and in all as many as the report counts.
   */
  /**
   * grpclb in the image: the dns resolver, told to look up SRV {@code _grpclb._tcp.} records, finds
   * a real balancer (grpc-java's {@code LoadBalancerImplBase}) through dnsmasq; the balancer lists
   * two test backends with tokens and drops nothing; echo calls spread over both, each carrying its
   * backend's {@code lb-token}, and the balancer was asked for the target's name. The A record of
   * the name points at a closed port: no call falls back to it.
   */
  @Test
  void callThroughGrpclbFindsTheBalancerBySrvAndSpreadsOverItsListWithTokens() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (TestBackend one = TestBackend.newBuilder().name("lb-1").build().start();
        TestBackend two = TestBackend.newBuilder().name("lb-2").build().start();
        FakeBalancer balancer = FakeBalancer.start(FakeBalancer.initial(Duration.ZERO), FakeBalancer.serverList(
            FakeBalancer.backend(one.address(), "token-1"), FakeBalancer.backend(two.address(), "token-2")));
        Dnsmasq dns = Dnsmasq.create()
            .host("echo.test", "127.0.0.1")
            .host("lb.echo.test", "127.0.0.1")
            .srv("_grpclb._tcp.echo.test", "lb.echo.test", balancer.address().getPort())
            .start()) {
      Run run = switchboard(Map.of(), "call", dns.target("echo.test:" + closedPort), "--plaintext", "-n", "20",
          "--method", TestMethods.ECHO.fullMethodName(), "--lb", "grpclb",
          "--resolver-option", "dns.enable-grpclb=true");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
      assertEchoSpread(run, 20, one, two);
      Metadata.Key<String> token = Metadata.Key.of("lb-token", Metadata.ASCII_STRING_MARSHALLER);
      assertThat(one.lastRequestHeaders().orElseThrow().getAll(token)).containsExactly("token-1");
      assertThat(two.lastRequestHeaders().orElseThrow().getAll(token)).containsExactly("token-2");
      assertThat(balancer.names()).containsExactly("echo.test:" + closedPort);
    }
  }

  private static void assertEchoSpread(Run run, int calls, TestBackend... backends) {
    assertThat(run.out()).startsWith(calls + " calls in ").contains(", 0 failed")
        .containsPattern("(?m)^  OK +" + calls + "$").doesNotContain(CallStats.NO_BACKEND);
    long total = 0;
    for (TestBackend b : backends) {
      long served = b.callsServed(TestMethods.ECHO.fullMethodName());
      assertThat(served).as("calls served by " + b.name()).isPositive();
      assertThat(run.out()).containsPattern(
          "(?m)^  127\\.0\\.0\\.1:" + b.port() + " \\(" + b.name() + "\\) +" + served + " +#+$");
      total += served;
    }
    assertThat(total).isEqualTo(calls);
  }

  /** Asserts that {@code run} wrote to stderr nothing but the resolver's warning naming {@code znode}. */
  private static void assertNothingOnStderrButTheWarningAbout(String znode, Run run) {
    assertThat(run.err()).as("stderr").contains(znode);
    assertThat(run.err().lines()).as("stderr").allSatisfy(line -> assertThat(line)
        .satisfiesAnyOf(l -> assertThat(l).startsWith("WARNING: zk target ").contains(znode),
            l -> assertThat(l).contains(" dev.switchboard.resolver.zookeeper.")));
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  private static String exampleVersion() {
    return System.getProperty("switchboard.exampleVersion", "1.0.0");
  }

  private static String projectVersion() {
    return System.getProperty("switchboard.version", "0.1.0-SNAPSHOT");
  }

  /**
   * protobuf-java-util's JsonFormat is relocated into the CLI's own module, and protobuf itself is
   * the one com.google.protobuf module: the CLI carries no com.google package of its own, and
   * nothing requires the automatic module it was compiled against.
   */
  @Test
  void cliCarriesJsonFormatRelocatedAndProtobufIsOneModuleOfItsOwn() throws Exception {
    assertThat(modules()).containsOnlyOnce("com.google.protobuf").doesNotContain("com.google.protobuf.util");
    Run describe = run(Map.of(), IMAGE.resolve("bin/java").toString(), "--describe-module",
        "dev.switchboard.cli");
    assertThat(describe.exitCode()).isZero();
    // Packages not exported are "contains"; the reflection messages' is exported to protobuf.
    List<String> packages = describe.out().lines().filter(l -> l.startsWith("contains "))
        .map(l -> l.substring("contains ".length())).collect(Collectors.toList());
    assertThat(packages).contains("dev.switchboard.cli.internal.shaded.com.google.protobuf.util")
        .allSatisfy(p -> assertThat(p).startsWith("dev.switchboard.cli."));
    assertThat(describe.out().lines()).contains("requires com.google.protobuf",
        "requires com.google.protobuf.util static",
        "qualified exports dev.switchboard.cli.internal.reflection.v1 to com.google.protobuf");
  }

  /**
   * {@code call --data} through the image against grpc-java's TestService with its v1 server
   * reflection: the image's relocated JsonFormat, Gson and the one protobuf module at work.
   */
  @Test
  void callWithJsonFindsTheTypesByServerReflectionAndPrintsTheResponse() throws Exception {
    try (ReflectionTestServer server = new ReflectionTestServer(ReflectionTestServer.Reflection.V1)) {
      Run run = switchboard(Map.of(), "call", server.target(), "--plaintext", "--method",
          "grpc.testing.TestService/UnaryCall", "--data", "{\"responseSize\": 3, \"fillUsername\": true}");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("{\"payload\":{\"body\":\"AAAA\"}}\n");
      assertThat(run.err()).isEmpty();
      assertThat(server.calls("grpc.testing.TestService/UnaryCall")).isEqualTo(1);
    }
  }

  /** A bidi call reading JSON lines from stdin, and describe, both through the image. */
  @Test
  void bidiCallWithJsonLinesFromStdinAndDescribeRunThroughTheImage() throws Exception {
    Path stdin = Files.writeString(Files.createTempFile("switchboard-it", ".json"),
        "{\"responseParameters\": [{\"size\": 1}]}\n{\"responseParameters\": [{\"size\": 2}]}\n");
    try (ReflectionTestServer server = new ReflectionTestServer(ReflectionTestServer.Reflection.V1ALPHA)) {
      Run call = run(Map.of(), stdin, IMAGE.resolve("bin/switchboard").toString(), "call",
          server.target(), "--plaintext", "--method", "grpc.testing.TestService/FullDuplexCall",
          "-d", "@-");
      assertThat(call.exitCode()).as(call.err()).isZero();
      assertThat(call.out()).isEqualTo("{\"payload\":{\"body\":\"AA==\"}}\n{\"payload\":{\"body\":\"AAA=\"}}\n");
      Run describe = switchboard(Map.of(), "describe", server.target(), "grpc.testing.TestService",
          "--plaintext");
      assertThat(describe.exitCode()).as(describe.err()).isZero();
      assertThat(describe.out()).isEqualTo(DescribeCommandTest.TEST_SERVICE);
    } finally {
      Files.deleteIfExists(stdin);
    }
  }

  private static List<String> modules() throws Exception {
    Run run = run(Map.of(), IMAGE.resolve("bin/java").toString(), "--list-modules");
    assertThat(run.exitCode()).isZero();
    Pattern nameAtVersion = Pattern.compile("([\\w.]+)@.*");
    List<String> names = new ArrayList<>();
    for (String line : run.out().lines().collect(Collectors.toList())) {
      Matcher m = nameAtVersion.matcher(line);
      if (m.matches()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  private static Run switchboard(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(IMAGE.resolve("bin/switchboard").toString());
    command.addAll(List.of(args));
    return run(env, command.toArray(String[]::new));
  }

  /** Runs a process with no CLASSPATH and no plugin path unless {@code env} sets them. */
  private static Run run(Map<String, String> env, String... command) throws Exception {
    return run(env, null, command);
  }

  /** Runs a process as {@link #run(Map, String...)} does, its stdin read from {@code stdin} if not null. */
  private static Run run(Map<String, String> env, Path stdin, String... command) throws Exception {
    Path out = Files.createTempFile("switchboard-it", ".out");
    Path err = Files.createTempFile("switchboard-it", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      if (stdin != null) {
        pb.redirectInput(stdin.toFile());
      }
      pb.environment().remove("CLASSPATH");
      pb.environment().remove("JDK_JAVA_OPTIONS");
      pb.environment().remove(Cli.PLUGIN_PATH_ENV);
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        // What it was doing: its threads (the test JDK's jcmd), and what it had printed.
        String threads = jcmd(p.pid());
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within 60 s; stdout: "
            + read(out) + "\nstderr: " + read(err) + "\nthreads:\n" + threads);
      }
      return new Run(p.exitValue(), read(out), read(err)
          .lines().filter(l -> !l.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS"))
          .map(l -> l + "\n").collect(Collectors.joining()));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Returns {@code jcmd PID Thread.print}'s output, or why there is none. */
  private static String jcmd(long pid) {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
      String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return jcmd.waitFor(20, TimeUnit.SECONDS) ? dump : "(jcmd did not end within 20 s)";
    } catch (IOException e) {
      return "(no thread dump: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(no thread dump: interrupted)";
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
