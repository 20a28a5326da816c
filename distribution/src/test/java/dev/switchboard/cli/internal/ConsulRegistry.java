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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service registry for the image tests: a real Consul agent ({@code consul agent -dev}, node
 * {@value #NODE}, datacenter {@code dc1}) listening on 127.0.0.1 only, on free ports, with
 * instances registered over its HTTP API as applications register them (each with a TTL check that
 * passes) and service configs in KV under {@code grpc/service-config/}, where the consul resolver
 * looks by default. Closing it stops the agent (its state is in memory: gone with it).
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
  private static Path binary;

  private final Process process;
  private final Path log;
  private final int httpPort;

  private ConsulRegistry(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /** Starts a dev agent on 127.0.0.1 and returns once it has a leader (it then takes writes). */
  static ConsulRegistry start() throws Exception {
    Path consul = binary();
    String failures = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int[] ports = freePorts(6);
      Path log = Files.createTempFile("switchboard-it-consul", ".log");
      Process process = new ProcessBuilder(consul.toString(), "agent", "-dev", "-node=" + NODE,
          "-bind=127.0.0.1", "-client=127.0.0.1", "-log-level=warn",
          "-http-port=" + ports[0], "-dns-port=" + ports[1], "-grpc-port=" + ports[2],
          "-serf-lan-port=" + ports[3], "-serf-wan-port=" + ports[4], "-server-port=" + ports[5])
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      ConsulRegistry registry = new ConsulRegistry(process, log, ports[0]);
      try {
        if (registry.awaitLeader()) {
          return registry;
        }
        failures += "\n  attempt " + attempt + ": consul agent exited with " + process.exitValue() + ": "
            + Files.readString(log).strip();
        registry.close();
      } catch (Exception | Error e) {
        registry.close();
        throw e;
      }
    }
    throw new IllegalStateException("no Consul agent started (" + consul + "):" + failures);
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
  private boolean awaitLeader() throws Exception {
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

  /** Stops the agent (SIGTERM, then SIGKILL after 10 s), waits for it to end, removes its log. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      process.destroy();
      if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
