package dev.switchboard.channel.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real dnsmasq ({@code apt-get install dnsmasq-base}) serving a test zone on 127.0.0.1 at a high
 * port, over UDP and TCP: A/AAAA from a hosts file, SRV and TXT from its config file. Names under
 * {@code .test} that it does not know answer NXDOMAIN.
 *
 * <p>A/AAAA changes ({@link #setHosts}) are picked up with SIGHUP; SRV and TXT changes need {@link
 * #restart()}. Every start waits, polling with a deadline, until the server answers a query;
 * {@link #close()} always kills the process and deletes the temporary directory.
 *
 * <p>What resolver tests (the {@code dns:} resolver) and plugins that find their peers through DNS
 * (grpclb's balancers, SRV {@code _grpclb._tcp.}) start their DNS server with; PEERS.md has the
 * config it writes.
 *
 * <p>Not thread-safe: one test drives it.
 *
 * @since 0.1
 */
public final class Dnsmasq implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final Map<String, List<String>> hosts = new LinkedHashMap<>();
  private final List<String> srvLines = new ArrayList<>();
  private final List<String> txtLines = new ArrayList<>();
  private int port;
  private Process process;

  private Dnsmasq() {
    try {
      this.dir = Files.createTempDirectory("dnsmasq-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a stopped server with no records; add them, then {@link #start()}. */
  public static Dnsmasq create() {
    return new Dnsmasq();
  }

  /** Serves {@code name} with these IPv4 and IPv6 addresses, in order (before {@link #start()}). */
  public Dnsmasq host(String name, String... ips) {
    hosts.put(name, List.of(ips));
    return this;
  }

  /** Serves an SRV record (priority 0, weight 0); needs {@link #restart()} if running. */
  public Dnsmasq srv(String name, String target, int targetPort) {
    srvLines.add("srv-host=" + name + "," + target + "," + targetPort + ",0,0");
    return this;
  }

  /**
   * Serves a TXT record made of these character strings (a DNS client joins them); needs {@link
   * #restart()} if running.
   */
  public Dnsmasq txt(String name, String... strings) {
    StringBuilder line = new StringBuilder("txt-record=").append(name);
    for (String s : strings) {
      line.append(",\"").append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    txtLines.add(line.toString());
    return this;
  }

  /** Removes every SRV and TXT record; needs {@link #restart()} if running. */
  public Dnsmasq clearSrvAndTxt() {
    srvLines.clear();
    txtLines.clear();
    return this;
  }

  /** Starts on a free high port of 127.0.0.1 and waits until it answers. */
  public Dnsmasq start() {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      port = 20000 + ThreadLocalRandom.current().nextInt(40000);
      try {
        launch();
        return this;
      } catch (IOException e) {
        last = e; // most likely the port was taken: try another
      }
    }
    throw new UncheckedIOException("dnsmasq did not start", last);
  }

  /** Stops and starts again on the same port (for SRV/TXT changes), waiting until it answers. */
  public Dnsmasq restart() {
    stop();
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException("dnsmasq did not restart on port " + port, e);
    }
    return this;
  }

  /** Kills the server and waits until it has exited (the port stays reserved for a restart). */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /**
   * Replaces the A/AAAA records and makes the running server re-read them (SIGHUP), waiting until
   * it answers the new IPv4 addresses.
   */
  public void setHosts(Map<String, List<String>> newHosts) {
    hosts.clear();
    hosts.putAll(newHosts);
    writeHostsFile();
    run("kill", "-HUP", Long.toString(process.pid()));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (Map.Entry<String, List<String>> e : hosts.entrySet()) {
      // dnsmasq rotates its answers: compare as sets.
      Set<String> v4 = e.getValue().stream().filter(ip -> !ip.contains(":")).collect(Collectors.toSet());
      while (!new HashSet<>(queryA(e.getKey())).equals(v4)) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("dnsmasq still answers " + queryA(e.getKey()) + " for "
              + e.getKey() + " after SIGHUP (expected " + v4 + "); log: " + log());
        }
        Thread.onSpinWait();
      }
    }
  }

  /** Returns the port. */
  public int port() {
    return port;
  }

  /** Returns {@code dns://127.0.0.1:PORT/endpoint}. */
  public String target(String endpoint) {
    return "dns://127.0.0.1:" + port + "/" + endpoint;
  }

  /** Returns what dnsmasq logged. */
  public String log() {
    try {
      Path log = dir.resolve("dnsmasq.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless.
    }
  }

  private void launch() throws IOException {
    writeHostsFile();
    List<String> conf = new ArrayList<>(List.of(
        "port=" + port,
        "listen-address=127.0.0.1",
        "bind-interfaces",
        "no-resolv",
        "no-hosts",
        "no-daemon",
        "pid-file=",
        "user=" + System.getProperty("user.name"),
        "log-facility=-",
        "local=/test/",
        "local-ttl=1",
        "addn-hosts=" + dir.resolve("hosts")));
    conf.addAll(srvLines);
    conf.addAll(txtLines);
    Path confFile = dir.resolve("dnsmasq.conf");
    Files.write(confFile, conf, UTF_8);
    process = new ProcessBuilder(executable(), "--conf-file=" + confFile)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("dnsmasq.log").toFile())
        .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!answers()) {
      if (!process.isAlive()) {
        process = null;
        throw new IOException("dnsmasq exited on port " + port + ": " + log());
      }
      if (System.nanoTime() - deadline > 0) {
        stop();
        throw new AssertionError("dnsmasq did not answer on port " + port + " within "
            + START_TIMEOUT + "; log: " + log());
      }
    }
  }

  private static String executable() {
    for (String candidate : List.of("/usr/sbin/dnsmasq", "/usr/bin/dnsmasq")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("dnsmasq is not installed (apt-get install -y dnsmasq-base)");
  }

  private void writeHostsFile() {
    List<String> lines = new ArrayList<>();
    hosts.forEach((name, ips) -> ips.forEach(ip -> lines.add(ip + " " + name)));
    try {
      Files.write(dir.resolve("hosts"), lines, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).inheritIO().start();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(Arrays.toString(command) + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Whether the server answers a query at all (any response code). */
  private boolean answers() {
    return exchange("ready.test") != null;
  }

  /** Returns the IPv4 addresses answered for {@code name}; empty if none or no answer. */
  List<String> queryA(String name) {
    ByteBuffer response = exchange(name);
    List<String> ips = new ArrayList<>();
    if (response == null) {
      return ips;
    }
    int answers = Short.toUnsignedInt(response.getShort(6));
    response.position(12);
    skipName(response);
    response.position(response.position() + 4); // QTYPE, QCLASS
    for (int i = 0; i < answers; i++) {
      skipName(response);
      int type = Short.toUnsignedInt(response.getShort());
      response.position(response.position() + 6); // CLASS, TTL
      int length = Short.toUnsignedInt(response.getShort());
      byte[] data = new byte[length];
      response.get(data);
      if (type == 1) {
        try {
          ips.add(InetAddress.getByAddress(data).getHostAddress());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return ips;
  }

  private static void skipName(ByteBuffer b) {
    while (true) {
      int len = Byte.toUnsignedInt(b.get());
      if (len == 0) {
        return;
      }
      if ((len & 0xC0) == 0xC0) {
        b.get();
        return;
      }
      b.position(b.position() + len);
    }
  }

  /** Sends one A query over UDP; returns the response, or null if none came within 50 ms. */
  private ByteBuffer exchange(String name) {
    ByteBuffer query = ByteBuffer.allocate(512);
    int id = ThreadLocalRandom.current().nextInt(0x10000);
    query.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
        .putShort((short) 0).putShort((short) 0);
    for (String label : name.split("\\.")) {
      query.put((byte) label.length()).put(label.getBytes(US_ASCII));
    }
    query.put((byte) 0).putShort((short) 1).putShort((short) 1); // A, IN
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(50);
      socket.send(new DatagramPacket(query.array(), query.position(),
          new InetSocketAddress("127.0.0.1", port)));
      byte[] buffer = new byte[4096];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      while (true) {
        socket.receive(packet);
        ByteBuffer response = ByteBuffer.wrap(buffer, 0, packet.getLength());
        if (Short.toUnsignedInt(response.getShort(0)) == id) {
          return response;
        }
      }
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      // ICMP port unreachable and the like: not answering yet.
      return null;
    }
  }
}
