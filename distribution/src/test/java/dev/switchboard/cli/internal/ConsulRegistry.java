package dev.switchboard.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A service registry for the image tests: a real Consul agent ({@code consul agent -dev}, node
 * {@value #NODE}, datacenter {@code dc1}) listening on 127.0.0.1 only, on free ports, with
 * instances registered over its HTTP API as applications register them (each with a TTL check that
 * passes) and service configs in KV under {@code grpc/service-config/}, where the consul resolver
 * looks by default; optionally its HTTP API over HTTPS too, with the certificates Consul's own
 * {@code consul tls} commands make. Closing it stops the agent (its state is in memory: gone with
 * it) and removes its folder (log, certificates).
 *
 * <p>The binary comes from {@code scripts/fetch-consul.sh} (system property {@code
 * switchboard.consul.fetch}, set by failsafe), which prints its path and fetches Debian's package
 * into a cache folder on first use; resolver-consul's tests start theirs the same way (its
 * {@code ConsulAgentProcess}, whose test classes are not on this module's path).
 *
 * <p>Talks to the agent with {@link HttpURLConnection}: the tests are compiled into the CLI's
 * module, which does not read {@code java.net.http}.
 *
 * <p>Not thread-safe: used by one test at a time.
 */
final class ConsulRegistry implements AutoCloseable {
  static final String NODE = "switchboard-it";

  private static final Duration START = Duration.ofSeconds(30);
  private static final int HTTP_TIMEOUT_MILLIS = 10_000;
  private static final Duration STOP = Duration.ofSeconds(10);
  /** Starts attempted before giving up, when the agent exits at start (a port taken meanwhile). */
  private static final int ATTEMPTS = 3;
  /** What {@code consul tls ca create} and {@code consul tls cert create -server -dc dc1} write. */
  private static final String CA_CERT = "consul-agent-ca.pem";
  private static final String SERVER_CERT = "dc1-server-consul-0.pem";
  private static final String SERVER_KEY = "dc1-server-consul-0-key.pem";
  private static Path binary;

  private final Process process;
  private final Path dir;
  private final int httpPort;
  private final int httpsPort;

  private ConsulRegistry(Process process, Path dir, int httpPort, int httpsPort) {
    this.process = process;
    this.dir = dir;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
  }

  /** Starts a dev agent on 127.0.0.1 and returns once it has a leader (it then takes writes). */
  static ConsulRegistry start() throws Exception {
    return start(false);
  }

  /**
   * Starts a dev agent on 127.0.0.1 that also serves its HTTP API over HTTPS ({@link #httpsPort()}),
   * with a certificate made by Consul's own {@code consul tls ca create} and {@code consul tls cert
   * create -server -dc dc1}, as its documentation has users make them: an EC (P-256) key, for
   * {@code server.dc1.consul}, {@code localhost} and {@code 127.0.0.1}, signed by a CA whose
   * certificate is {@link #caFile()}.
   */
  static ConsulRegistry startWithHttps() throws Exception {
    return start(true);
  }

  private static ConsulRegistry start(boolean https) throws Exception {
    Path consul = binary();
    Path dir = Files.createTempDirectory("switchboard-it-consul");
    try {
      if (https) {
        consulTool(consul, dir, "tls", "ca", "create");
        consulTool(consul, dir, "tls", "cert", "create", "-server", "-dc", "dc1");
      }
      Path log = dir.resolve("agent.log");
      String failures = "";
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        int[] ports = freePorts(7);
        List<String> command = new ArrayList<>(List.of(consul.toString(), "agent", "-dev", "-node=" + NODE,
            "-bind=127.0.0.1", "-client=127.0.0.1", "-log-level=warn",
            "-http-port=" + ports[0], "-dns-port=" + ports[1], "-grpc-port=" + ports[2],
            "-serf-lan-port=" + ports[3], "-serf-wan-port=" + ports[4], "-server-port=" + ports[5]));
        if (https) {
          command.addAll(List.of("-hcl", "ports { https = " + ports[6] + " }",
              "-hcl", "cert_file = \"" + dir.resolve(SERVER_CERT) + "\"",
              "-hcl", "key_file = \"" + dir.resolve(SERVER_KEY) + "\""));
        }
        Process process = new ProcessBuilder(command).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ConsulRegistry registry = new ConsulRegistry(process, dir, ports[0], https ? ports[6] : -1);
        try {
          if (registry.awaitLeader(log)) {
            return registry;
          }
          failures += "\n  attempt " + attempt + ": consul agent exited with " + process.exitValue() + ": "
              + Files.readString(log).strip();
          registry.stop();
        } catch (Exception | Error e) {
          registry.stop();
          throw e;
        }
      }
      throw new IllegalStateException("no Consul agent started (" + consul + "):" + failures);
    } catch (Exception | Error e) {
      delete(dir);
      throw e;
    }
  }

  /** Runs {@code consul <args>} in {@code dir}, which must end with 0 within a minute. */
  private static void consulTool(Path consul, Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(consul.toString()));
    command.addAll(List.of(args));
    Process tool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!tool.waitFor(1, TimeUnit.MINUTES)) {
      tool.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(String.join(" ", command) + " did not end within 1 min");
    }
    if (tool.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + tool.exitValue() + ": "
          + output.strip());
    }
  }

  /** The path of the agent binary, from the fetch script (run once per JVM). */
  private static synchronized Path binary() throws Exception {
    if (binary == null) {
      String script = System.getProperty("switchboard.consul.fetch", "../scripts/fetch-consul.sh");
      Process fetch = new ProcessBuilder("bash", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String path = new String(fetch.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!fetch.waitFor(5, TimeUnit.MINUTES)) {
        fetch.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("no Consul agent: " + script + " did not end within 5 min");
      }
      if (fetch.exitValue() != 0 || path.isEmpty() || !Files.isExecutable(Path.of(path))) {
        throw new IllegalStateException("no Consul agent: " + script + " exited with " + fetch.exitValue()
            + " and printed '" + path + "' (expected: the path of the consul binary)");
      }
      binary = Path.of(path);
    }
    return binary;
  }

  /**
   * Polls {@code /v1/status/leader} until it names a leader (true), the process exits (false), or
   * the deadline passes (an AssertionError).
   */
  private boolean awaitLeader(Path log) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        Response leader = send("GET", "/v1/status/leader", null);
        // "" (no leader yet) or "127.0.0.1:PORT", quoted.
        if (leader.status() == 200 && leader.body().strip().length() > 2) {
          return true;
        }
      } catch (IOException notListeningYet) {
        // Polled again below.
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the Consul agent on 127.0.0.1:" + httpPort + " had no leader within "
            + START + ": " + Files.readString(log).strip());
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** Returns the agent's HTTP port, on 127.0.0.1. */
  int httpPort() {
    return httpPort;
  }

  /** Returns the agent's HTTPS port, on 127.0.0.1 (only when started with {@link #startWithHttps()}). */
  int httpsPort() {
    if (httpsPort < 0) {
      throw new IllegalStateException("this agent serves no HTTPS (start it with startWithHttps())");
    }
    return httpsPort;
  }

  /** Returns the CA certificate (PEM) that verifies the agent over HTTPS. */
  Path caFile() {
    httpsPort();
    return dir.resolve(CA_CERT);
  }

  /** Returns the {@code consul:} target of {@code service}: {@code consul://127.0.0.1:PORT/NAME}. */
  String target(String service) {
    return "consul://127.0.0.1:" + httpPort + "/" + service;
  }

  /**
   * Registers an instance {@code id} of {@code service} at 127.0.0.1:{@code port} (0: no port,
   * which Consul accepts and stores as 0) with a TTL check that passes; {@code extraJson} adds
   * fields to the registration ({@code "Tags":[…],"Meta":{…}}), or is empty.
   */
  void register(String service, String id, int port, String extraJson) throws IOException {
    put("/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"" + service
        + "\",\"Address\":\"127.0.0.1\"" + (port == 0 ? "" : ",\"Port\":" + port)
        + ",\"Check\":{\"CheckID\":\"ttl-" + id + "\",\"TTL\":\"10m\",\"Status\":\"passing\"}"
        + (extraJson.isEmpty() ? "" : "," + extraJson) + "}");
  }

  /** Puts {@code json} into the KV key {@code grpc/service-config/<service>}. */
  void serviceConfig(String service, String json) throws IOException {
    put("/v1/kv/grpc/service-config/" + URLEncoder.encode(service, StandardCharsets.UTF_8), json);
  }

  private void put(String path, String body) throws IOException {
    Response response = send("PUT", path, body);
    if (response.status() != 200) {
      throw new IOException("PUT " + path + ": " + response.status() + " " + response.body());
    }
  }

  /** An HTTP answer of the agent. */
  private record Response(int status, String body) {}

  private Response send(String method, String path, String body) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + path).toURL().openConnection(Proxy.NO_PROXY);
    try {
      connection.setRequestMethod(method);
      connection.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
      connection.setReadTimeout(HTTP_TIMEOUT_MILLIS);
      if (body != null) {
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, text);
    } finally {
      connection.disconnect();
    }
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Stops the agent (SIGTERM, then SIGKILL after 10 s) and waits for it to end. */
  private void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Stops the agent, waits for it to end, and removes its folder (log, certificates). */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      stop();
    } finally {
      delete(dir);
    }
  }
}
