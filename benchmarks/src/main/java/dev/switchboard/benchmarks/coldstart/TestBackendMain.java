package dev.switchboard.benchmarks.coldstart;

import dev.switchboard.channel.testing.backend.TestBackend;
import java.io.IOException;

/**
 * A {@link TestBackend} in a JVM of its own for the cold start and footprint runs: prints
 * {@code port N} once listening on 127.0.0.1, and stops when its stdin closes. Not thread-safe (a main).
 */
public final class TestBackendMain {
  private TestBackendMain() {}

  public static void main(String[] args) throws IOException {
    try (TestBackend backend = TestBackend.newBuilder().name("coldstart").build().start()) {
      System.out.println("port " + backend.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // the parent closes our stdin to stop us
      }
    }
    System.exit(0);
  }

  /** Starts this main in a child JVM on the current class path; returns the process and its port. */
  public static Child start() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        TestBackendMain.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    String line = in.readLine();
    if (line == null || !line.startsWith("port ")) {
      p.destroyForcibly();
      throw new IOException("backend did not start: " + line);
    }
    return new Child(p, Integer.parseInt(line.substring(5).trim()));
  }

  /** A running backend process. Thread-safe. */
  public record Child(Process process, int port) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      process.getOutputStream().close();
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
