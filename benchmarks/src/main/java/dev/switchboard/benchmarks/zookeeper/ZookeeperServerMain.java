package dev.switchboard.benchmarks.zookeeper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ZookeeperRegistry} in a JVM of its own, for the footprint run (so that the server's side
 * of the sessions and watches is not counted in the client's heap): registers {@code instances}
 * instances of each of the services {@code svc-0} … {@code svc-(services-1)} and of {@code warm-up},
 * ports {@link #port(int, int, int)}, prints {@code port N} once done, answers each {@code sessions}
 * line on its stdin with {@code sessions K} (the sessions the server holds), and stops when its stdin
 * closes.
 *
 * <p>Arguments: {@code SERVICES INSTANCES}. Not thread-safe (a main).
 */
public final class ZookeeperServerMain {
  /** The service that the footprint run warms up on. */
  static final String WARM_UP = "warm-up";

  private ZookeeperServerMain() {}

  public static void main(String[] args) throws Exception {
    int services = Integer.parseInt(args[0]);
    int instances = Integer.parseInt(args[1]);
    try (ZookeeperRegistry registry = ZookeeperRegistry.start()) {
      registry.registerAll(WARM_UP, instances, port(services, instances, 0));
      for (int s = 0; s < services; s++) {
        registry.registerAll(service(s), instances, port(s, instances, 0));
      }
      PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
      out.println("port " + registry.port());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("sessions")) {
          out.println("sessions " + registry.sessions());
        }
      }
    }
    System.exit(0);
  }

  /** Returns the name of service {@code s}. */
  static String service(int s) {
    return "svc-" + s;
  }

  /** Returns the port of instance {@code i} of service {@code s} (of {@code instances} each). */
  static int port(int s, int instances, int i) {
    return 20_000 + s * instances + i;
  }

  /** Starts this main in a child JVM on the current class path; returns once it has registered all. */
  static Child start(int services, int instances) throws IOException {
    if (port(services + 1, instances, 0) > 65_535) {
      throw new IllegalArgumentException("services × instances: " + services + " × " + instances
          + " (expected: at most " + (65_535 - 20_000) + " ports in all)");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ZookeeperServerMain.class.getName(), String.valueOf(services), String.valueOf(instances))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null || !line.startsWith("port ")) {
      p.destroyForcibly();
      throw new IOException("ZooKeeper did not start: " + line);
    }
    return new Child(p, in, new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8),
        Integer.parseInt(line.substring(5).trim()));
  }

  /** The running child. Not thread-safe. */
  static final class Child implements AutoCloseable {
    private final Process process;
    private final BufferedReader in;
    private final PrintWriter out;
    private final int port;

    private Child(Process process, BufferedReader in, PrintWriter out, int port) {
      this.process = process;
      this.in = in;
      this.out = out;
      this.port = port;
    }

    int port() {
      return port;
    }

    /** Returns the {@code zk} target of {@code service}. */
    String target(String service) {
      return "zk://127.0.0.1:" + port + ZookeeperRegistry.BASE_PATH + "/" + service;
    }

    /** Returns the sessions the server holds (the child's registrar's included). */
    int sessions() throws IOException {
      out.println("sessions");
      String line = in.readLine();
      if (line == null || !line.startsWith("sessions ")) {
        throw new IOException("ZooKeeper's child answered: " + line);
      }
      return Integer.parseInt(line.substring(9).trim());
    }

    /** Polls {@link #sessions()} until it is {@code expected}, for at most 30 s. */
    void awaitSessions(int expected) throws IOException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int now;
      while ((now = sessions()) != expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("ZooKeeper holds " + now + " sessions after 30 s (expected: "
              + expected + ")");
        }
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // the poll interval
      }
    }

    @Override
    public void close() {
      out.close();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
