package dev.switchboard.benchmarks.consul;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.switchboard.channel.api.resolver.Address;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real Consul agent for the {@code consul} resolver's benchmarks, and a registrar that writes to
 * it as applications do.
 *
 * <ul>
 *   <li>The agent: {@code consul agent -dev} (a server and a client in one process, its state in
 *       memory; {@code limits.http_max_conns_per_client} raised, see {@link #start(int)}), a process
 *       of its own on 127.0.0.1 ports that were free, logging warnings to a
 *       temporary file (printed if it fails to start, deleted on {@link #close()}). The binary is
 *       {@code CONSUL_BINARY} if set, else what {@code scripts/fetch-consul.sh} prints (the same
 *       script resolver-consul's tests use; system property {@code switchboard.consul.fetch} names
 *       another path to it).
 *   <li>The registrar: the agent's HTTP API through the JDK's {@link HttpClient} (one keep-alive
 *       connection): {@code PUT /v1/agent/service/register} of an instance at 127.0.0.1 and a port
 *       that nothing dials, with a TTL check that passes (TTL {@value #TTL}, longer than any run);
 *       {@code PUT /v1/agent/check/fail/<checkId>} and {@code …/pass/<checkId>} to turn it critical
 *       and back. The agent syncs its local state into the catalog, which is what the health
 *       endpoint (and so the resolver) reads; {@link #awaitPassing} waits for that.
 * </ul>
 *
 * <p>Not thread-safe: one thread registers and reads.
 */
public final class ConsulRegistry implements AutoCloseable {
  /** The TTL of every instance's check: it passes until told otherwise for the whole run. */
  static final String TTL = "2h";
  /**
   * The agent's limit of concurrent HTTP connections from one client address, above Consul's
   * default of 200: the resolver holds one connection per distinct watch, and the footprint run's
   * 100 channels with a health and a KV watch each (resolver-consul at this branch's base), plus the
   * registrar's connection, are 201.
   */
  static final int HTTP_MAX_CONNS_PER_CLIENT = 1000;

  private static final Duration START = Duration.ofSeconds(30);
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private final int[] ports;
  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ConsulRegistry(int[] ports, Process process, Path log) {
    this.ports = ports;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts an agent that accepts {@value #HTTP_MAX_CONNS_PER_CLIENT} HTTP connections from 127.0.0.1
   * (see {@link #start(int)}), and returns once it has a leader and its own node is in the catalog.
   */
  public static ConsulRegistry start() throws IOException, InterruptedException {
    return start(HTTP_MAX_CONNS_PER_CLIENT);
  }

  /**
   * Starts an agent that accepts {@code httpMaxConnsPerClient} concurrent HTTP connections from one
   * client address ({@code limits.http_max_conns_per_client}; Consul's default is 200 and it resets
   * connections beyond it), and returns once it has a leader and its own node is in the catalog.
   */
  public static ConsulRegistry start(int httpMaxConnsPerClient) throws IOException, InterruptedException {
    int[] ports = freePorts(6);
    List<String> command = List.of(binary().toString(), "agent", "-dev", "-node=switchboard-bench",
        "-bind=127.0.0.1", "-client=127.0.0.1", "-log-level=warn",
        "-http-port=" + ports[0], "-dns-port=" + ports[1], "-grpc-port=" + ports[2],
        "-serf-lan-port=" + ports[3], "-serf-wan-port=" + ports[4], "-server-port=" + ports[5],
        "-hcl", "limits { http_max_conns_per_client = " + httpMaxConnsPerClient + " }");
    Path log = Files.createTempFile("consul-bench-agent", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ConsulRegistry registry = new ConsulRegistry(ports, process, log);
    try {
      registry.awaitStarted();
      return registry;
    } catch (IOException | RuntimeException | InterruptedException e) {
      registry.close();
      throw e;
    }
  }

  private void awaitStarted() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("consul agent exited (" + process.exitValue() + "): " + Files.readString(log));
      }
      try {
        HttpResponse<String> leader = send("GET", "/v1/status/leader", null);
        HttpResponse<String> node = send("GET", "/v1/health/node/switchboard-bench", null);
        if (leader.statusCode() == 200 && leader.body().length() > 2 && node.statusCode() == 200
            && node.body().contains("\"passing\"")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("consul agent without a leader after " + START + ": " + Files.readString(log));
      }
      LockSupport.parkNanos(50_000_000L); // the poll interval
    }
  }

  /** Returns the agent binary: {@code CONSUL_BINARY}, else what {@code scripts/fetch-consul.sh} prints. */
  static Path binary() throws IOException, InterruptedException {
    String given = System.getenv("CONSUL_BINARY");
    if (given != null && !given.isBlank() && Files.isExecutable(Path.of(given))) {
      return Path.of(given);
    }
    String script = System.getProperty("switchboard.consul.fetch", "scripts/fetch-consul.sh");
    Process fetch = new ProcessBuilder("bash", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String path = new String(fetch.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!fetch.waitFor(5, TimeUnit.MINUTES) || fetch.exitValue() != 0 || path.isEmpty()) {
      throw new IOException("no Consul agent: " + script + " failed (run from the repository's root, or set"
          + " CONSUL_BINARY)");
    }
    return Path.of(path);
  }

  /** Returns the agent's HTTP port on 127.0.0.1. */
  public int httpPort() {
    return ports[0];
  }

  /** Returns the agent's version ({@code Config.Version} of {@code /v1/agent/self}). */
  public String version() throws IOException {
    Object config = JSON.std.mapFrom(send("GET", "/v1/agent/self", null).body()).get("Config");
    return config instanceof Map<?, ?> map ? String.valueOf(map.get("Version")) : "(unknown)";
  }

  /** Returns the agent process's id. */
  public long pid() {
    return process.pid();
  }

  /** Returns the {@code consul} target of {@code service}: {@code consul://127.0.0.1:PORT/<service>}. */
  public String target(String service) {
    return "consul://127.0.0.1:" + httpPort() + "/" + service;
  }

  /** Returns the id of instance {@code i} of {@code service}; its check's id is {@code ttl-<id>}. */
  static String id(String service, int i) {
    return service + "-" + i;
  }

  /** Registers one instance of {@code service} at 127.0.0.1:{@code port} with a passing TTL check. */
  public void register(String service, String id, int port) throws IOException {
    put("/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"" + service
        + "\",\"Address\":\"127.0.0.1\",\"Port\":" + port
        + ",\"Check\":{\"CheckID\":\"ttl-" + id + "\",\"TTL\":\"" + TTL + "\",\"Status\":\"passing\"}}");
  }

  /**
   * Registers {@code count} instances of {@code service}, {@link #id ids} 0 … count-1 at ports
   * {@code firstPort} and up, and waits until the catalog shows them all passing.
   */
  public void registerAll(String service, int count, int firstPort) throws IOException {
    for (int i = 0; i < count; i++) {
      register(service, id(service, i), firstPort + i);
    }
    awaitPassing(service, count, Duration.ofSeconds(60));
  }

  /** Turns the TTL check of instance {@code id} critical; returns when the agent has answered. */
  public void failCheck(String id) throws IOException {
    put("/v1/agent/check/fail/ttl-" + id, null);
  }

  /** Turns the TTL check of instance {@code id} passing again; returns when the agent has answered. */
  public void passCheck(String id) throws IOException {
    put("/v1/agent/check/pass/ttl-" + id, null);
  }

  /** Returns how many instances of {@code service} the catalog has with all checks passing. */
  public int passing(String service) throws IOException {
    HttpResponse<String> response = send("GET", "/v1/health/service/" + service + "?passing", null);
    if (response.statusCode() != 200) {
      throw new IOException("GET health of " + service + ": " + response.statusCode() + " " + response.body());
    }
    return JSON.std.listFrom(response.body()).size();
  }

  /** Waits until {@link #passing} is {@code count}. */
  public void awaitPassing(String service, int count, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int now;
    while ((now = passing(service)) != count) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the catalog holds " + now + " passing instances of " + service + " after "
            + timeout + " (expected: " + count + ")");
      }
      LockSupport.parkNanos(50_000_000L); // the poll interval
    }
  }

  /**
   * Returns the size in bytes of the agent's answer to {@code GET /v1/health/service/<service>}, what
   * the resolver reads (every instance, with its node and checks, passing or not).
   */
  public int healthBodyBytes(String service) throws IOException {
    return send("GET", "/v1/health/service/" + service, null).body().getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Returns the size in bytes of the same answer as it crosses the wire to the resolver, whose HTTP
   * client (Apache HttpClient's defaults) asks for {@code Accept-Encoding: gzip,deflate}: the body
   * gzip-compressed, not decompressed here.
   */
  public int healthGzipBytes(String service) throws IOException {
    HttpRequest request = healthRequest(service);
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (!response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
        throw new IOException("GET " + request.uri() + " with Accept-Encoding: gzip answered "
            + response.headers().firstValue("Content-Encoding").orElse("without compression"));
      }
      return response.body().length;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: GET " + request.uri(), e);
    }
  }

  /**
   * Returns the resolver's first query of {@code service}'s instances: {@code GET
   * /v1/health/service/<service>} with {@code Accept-Encoding: gzip,deflate}, as its HTTP client
   * sends it.
   */
  public HttpRequest healthRequest(String service) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/v1/health/service/" + service))
        .header("Accept-Encoding", "gzip,deflate")
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /** Returns the CPU time the agent process has used so far, in ns ({@code /proc/PID/stat}, 10 ms ticks). */
  public long cpuNanos() {
    return ProcStat.cpuNanos(process.pid());
  }

  private void put(String path, String body) throws IOException {
    HttpResponse<String> response = send("PUT", path, body);
    if (response.statusCode() != 200) {
      throw new IOException("PUT " + path + ": " + response.statusCode() + " " + response.body());
    }
  }

  private HttpResponse<String> send(String method, String path, String body) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + method + " " + path, e);
    }
  }

  /** Returns the address an instance at 127.0.0.1:{@code port} resolves to. */
  public static Address address(int port) {
    try {
      return Address.of(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), port));
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // a 4-byte address is always valid
    }
  }

  /** Returns the addresses of {@code count} instances at ports {@code firstPort} and up, in order. */
  public static List<Address> addresses(int count, int firstPort) {
    List<Address> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(address(firstPort + i));
    }
    return out;
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] out = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        out[i] = socket.getLocalPort();
      }
      return out;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Stops the agent (its state is in memory: gone) and deletes its log. */
  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    Files.deleteIfExists(log);
  }
}
