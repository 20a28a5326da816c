package dev.switchboard.resolver.consul.internal;

import dev.switchboard.channel.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Consul agent ({@code consul agent -dev}, on 127.0.0.1 ports of its own), started by the
 * tests: the binary comes from {@code scripts/fetch-consul.sh} (Debian's package, fetched once into
 * a cache folder). Talks to it over plain HTTP to register services, set checks and KV keys, as
 * applications do.
 */
final class ConsulAgentProcess implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(30);
  private static volatile Path binary;

  private final int[] ports;
  private List<String> extraArguments;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;
  private Path logFile;

  private ConsulAgentProcess(List<String> extraArguments, String token) throws IOException {
    this.ports = freePorts(7);
    this.extraArguments = extraArguments;
    this.token = token;
  }

  /** Starts a dev agent. */
  static ConsulAgentProcess start() throws Exception {
    return start(List.of(), null);
  }

  /** Starts a dev agent with extra arguments; {@code token} is sent with the test's own requests. */
  static ConsulAgentProcess start(List<String> extraArguments, String token) throws Exception {
    ConsulAgentProcess agent = new ConsulAgentProcess(extraArguments, token);
    agent.launch();
    return agent;
  }

  int httpPort() {
    return ports[0];
  }

  /** The HTTPS port, when started with {@link #startWithHttps}. */
  int httpsPort() {
    return ports[6];
  }

  /** Starts a dev agent that also serves HTTPS on {@link #httpsPort()} with this certificate. */
  static ConsulAgentProcess startWithHttps(String certFile, String keyFile) throws Exception {
    ConsulAgentProcess agent = new ConsulAgentProcess(List.of(), null);
    agent.extraArguments = List.of("-hcl", "ports { https = " + agent.ports[6] + " }",
        "-hcl", "cert_file = \"" + certFile + "\"", "-hcl", "key_file = \"" + keyFile + "\"");
    agent.launch();
    return agent;
  }

  String address() {
    return "127.0.0.1:" + httpPort();
  }

  private static synchronized Path binary() throws Exception {
    if (binary == null) {
      String script = System.getProperty("switchboard.consul.fetch", "../scripts/fetch-consul.sh");
      Process fetch = new ProcessBuilder("bash", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String path = new String(fetch.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!fetch.waitFor(5, TimeUnit.MINUTES) || fetch.exitValue() != 0 || path.isEmpty()) {
        throw new IllegalStateException("no Consul agent: " + script + " failed (exit "
            + (fetch.isAlive() ? "none" : fetch.exitValue()) + ")");
      }
      binary = Path.of(path);
    }
    return binary;
  }

  private void launch() throws Exception {
    List<String> command = new ArrayList<>(List.of(binary().toString(), "agent", "-dev", "-node=switchboard-test",
        "-bind=127.0.0.1", "-client=127.0.0.1", "-log-level=warn",
        "-http-port=" + ports[0], "-dns-port=" + ports[1], "-grpc-port=" + ports[2],
        "-serf-lan-port=" + ports[3], "-serf-wan-port=" + ports[4], "-server-port=" + ports[5]));
    command.addAll(extraArguments);
    logFile = Files.createTempFile("consul-agent", ".log");
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    try {
      awaitReady();
    } catch (RuntimeException | Error | InterruptedException e) {
      stop(); // not left running when it never became ready
      throw e;
    }
  }

  private void awaitReady() throws InterruptedException {
    Await.until("the Consul agent has a leader", START, () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("consul agent exited: " + log());
      }
      try {
        HttpResponse<String> leader = send("GET", "/v1/status/leader", null);
        // With ACLs, the master token works a moment after the leader is elected.
        return leader.statusCode() == 200 && leader.body().length() > 2
            && (token == null || send("GET", "/v1/acl/token/self", null).statusCode() == 200);
      } catch (IOException e) {
        return false;
      }
    });
  }

  private String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the agent (its state is in memory: gone) and waits for the process to end. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Starts a new agent on the same ports: an empty catalog, its index starting low again. */
  void restart() throws Exception {
    stop();
    launch();
  }

  HttpResponse<String> send(String method, String path, String body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("X-Consul-Token", token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private void put(String path, String body) throws IOException {
    HttpResponse<String> response = send("PUT", path, body);
    if (response.statusCode() != 200) {
      throw new IOException("PUT " + path + ": " + response.statusCode() + " " + response.body());
    }
  }

  /** Registers an instance with a TTL check that passes until told otherwise. */
  void register(String service, String id, int port, String extraJson) throws IOException {
    put("/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"" + service
        + "\",\"Address\":\"127.0.0.1\",\"Port\":" + port
        + ",\"Check\":{\"CheckID\":\"ttl-" + id + "\",\"TTL\":\"10m\",\"Status\":\"passing\"}"
        + (extraJson.isEmpty() ? "" : "," + extraJson) + "}");
  }

  void deregister(String id) throws IOException {
    put("/v1/agent/service/deregister/" + id, null);
  }

  void failCheck(String id) throws IOException {
    put("/v1/agent/check/fail/ttl-" + id, null);
  }

  void passCheck(String id) throws IOException {
    put("/v1/agent/check/pass/ttl-" + id, null);
  }

  void putKv(String key, String value) throws IOException {
    put("/v1/kv/" + key, value);
  }

  void deleteKv(String key) throws IOException {
    HttpResponse<String> response = send("DELETE", "/v1/kv/" + key, null);
    if (response.statusCode() != 200) {
      throw new IOException("DELETE " + key + ": " + response.statusCode());
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

  @Override
  public void close() throws InterruptedException, IOException {
    stop();
    Files.deleteIfExists(logFile);
  }
}
