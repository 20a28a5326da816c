package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... argv) {
    return new Cli(print(out), print(err), env, ImageDefaults.NONE).run(List.of(argv));
  }

  private int run(String... argv) {
    return run(Map.of(), argv);
  }

  private static PrintStream print(OutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsTheUsageAndSucceeds() {
    assertThat(run("help")).isZero();
    assertThat(out()).startsWith("usage: switchboard <command>").contains("plugins");
    assertThat(err()).isEmpty();
  }

  @Test
  void noArgumentPrintsTheUsage() {
    assertThat(run()).isZero();
    assertThat(out()).isEqualTo(Cli.USAGE);
  }

  @Test
  void helpFlagAfterACommandPrintsTheUsageAndSucceeds() {
    assertThat(run("call", "--help")).isZero();
    assertThat(run("resolve", "dns:///x", "-h")).isZero();
    assertThat(out()).isEqualTo(Cli.USAGE + Cli.USAGE);
    assertThat(err()).isEmpty();
  }

  @Test
  void unknownCommandIsOneLineListingTheCommands() {
    assertThat(run("plugin")).isEqualTo(2);
    assertThat(err()).isEqualTo(
        "switchboard: unknown command 'plugin' (expected one of: call, demo, describe, help, plugins, resolve)\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void pluginsTakesNoPositionalArgument() {
    assertThat(run("plugins", "dns")).isEqualTo(2);
    assertThat(err()).isEqualTo("switchboard: plugins: unexpected argument 'dns'\n");
  }

  @Test
  void pluginsListsCoresBuiltInsFromTheBootLayer() {
    assertThat(run("plugins", "--check-defaults")).isZero();
    assertThat(out().lines()).anySatisfy(l -> assertThat(l.split(" +")).containsSubsequence(
        "resolver", "passthrough", "dev.switchboard.channel.core"));
    assertThat(out().lines()).anySatisfy(l -> assertThat(l.split(" +")).containsSubsequence(
        "balancer", "pick_first", "dev.switchboard.channel.core"));
    assertThat(out()).endsWith("default scheme: the channel's, default policy: the channel's\n");
  }

  @Test
  void resolveOfAnUnknownSchemeIsOneLineListingTheSchemes() {
    assertThat(run("resolve", "nope://x", "--once")).isEqualTo(1);
    // The schemes of the test's paths: core's, consul, dns and zk (the test backend brings no
    // resolver).
    assertThat(err()).isEqualTo("switchboard: target 'nope://x': no resolver for scheme 'nope'"
        + " (available: [consul, dns, passthrough, zk])\n");
  }

  @Test
  void pluginsListsTheOptionsEachPluginDeclaresWithTheirDefaults() {
    assertThat(run("plugins")).isZero();
    assertThat(out()).contains("plugin options:\n")
        .contains("  --resolver-option dns.enable-grpclb=<boolean> (default false)\n")
        .contains("  --resolver-option dns.min-resolution-interval=<duration> (default PT30S)\n");
  }

  @Test
  void resolverOptionsAreTakenByNameAndSetOnTheResolver() {
    // localhost needs no query: the options are parsed, checked and handed over, then it resolves.
    assertThat(run("resolve", "dns:///localhost:1", "--once", "--resolver-option", "dns.enable-grpclb=true",
        "--resolver-option=dns.query-timeout=2s")).isZero();
    assertThat(out()).contains("127.0.0.1:1");
    assertThat(run("resolve", "dns:///localhost:1", "--once", "--resolver-option", "dns.query-timeout=0s"))
        .isEqualTo(1);
    assertThat(err()).contains("option dns.query-timeout is PT0S (expected: more than zero)");
  }

  @Test
  void anUnknownOrMalformedPluginOptionIsAUsageErrorNamingIt() {
    assertThat(run("resolve", "dns:///localhost:1", "--resolver-option", "dns.nope=1")).isEqualTo(2);
    assertThat(err()).isEqualTo("switchboard: resolve: --resolver-option 'dns.nope' is no option of the"
        + " plugins found (expected one of: consul.ca-file, consul.fallback-to-all, consul.https,"
        + " consul.service-config, consul.token, consul.token-file, consul.wait,"
        + " dns.enable-grpclb, dns.enable-service-config,"
        + " dns.min-resolution-interval, dns.query-timeout, zk.chroot, zk.connection-timeout,"
        + " zk.ensemble, zk.session-timeout)\n");
    err.reset();
    assertThat(run("call", "dns:///localhost:1", "--resolver-option", "dns.enable-grpclb=maybe")).isEqualTo(2);
    assertThat(err()).isEqualTo("switchboard: call: --resolver-option option dns.enable-grpclb: 'maybe'"
        + " (expected: true or false)\n");
    err.reset();
    assertThat(run("call", "dns:///localhost:1", "--balancer-option", "novalue")).isEqualTo(2);
    assertThat(err()).isEqualTo("switchboard: call: --balancer-option 'novalue' (expected: NAME=VALUE)\n");
  }

  @Test
  void resolveNeedsATarget() {
    assertThat(run("resolve", "--once")).isEqualTo(2);
    assertThat(err()).isEqualTo("switchboard: resolve: expected one target, got none\n");
  }

  @Test
  void pluginPathThatIsNotADirectoryIsAOneLineFailure() {
    Path missing = dir.resolve("missing");
    assertThat(run("plugins", "--plugin-path", missing.toString())).isEqualTo(1);
    assertThat(err()).isEqualTo("switchboard: plugin path: " + missing + " is not a directory\n");
  }

  @Test
  void pluginPathComesFromTheEnvironmentWhenNotGiven() {
    Path missing = dir.resolve("from-env");
    assertThat(run(Map.of(Cli.PLUGIN_PATH_ENV, missing.toString()), "plugins")).isEqualTo(1);
    assertThat(err()).contains(missing.toString());
  }

  @Test
  void pluginPathOptionWinsOverTheEnvironment() {
    Map<String, String> env = Map.of(Cli.PLUGIN_PATH_ENV, dir.resolve("from-env").toString());
    assertThat(run(env, "plugins", "--plugin-path=" + dir)).isZero();
    assertThat(err()).isEmpty();
  }

  @Test
  void brokenPluginFolderIsAOneLineFailureNamingTheFolder() throws Exception {
    // Two jars that are both the automatic module "twice".
    emptyJar(dir.resolve("twice-1.0.jar"));
    emptyJar(dir.resolve("twice-2.0.jar"));
    assertThat(run("plugins", "--plugin-path", dir.toString())).isEqualTo(1);
    assertThat(err().lines()).singleElement().asString()
        .startsWith("switchboard: plugin path: " + dir + ": ")
        .contains("twice");
  }

  private static void emptyJar(Path file) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file), manifest)) {
      jar.flush();
    }
  }
}
