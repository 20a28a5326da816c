package dev.switchboard.channel.core.interop;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.testing.integration.EmptyProtos;
import io.grpc.testing.integration.Messages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * gRPC's interop {@code TestService} on a second implementation of gRPC: C-core, through Debian's
 * {@code python3-grpcio}, in a child process on 127.0.0.1 ({@code interop/ccore_interop_server.py}
 * in the test resources). It needs no generated code: this class hands it the descriptors of
 * grpc-java's interop protos, and it serves with a generic handler.
 *
 * <p>{@code scripts/test-all.sh} installs {@code python3-grpcio} when it is missing. Without it,
 * {@link #start()} fails naming the package.
 *
 * <p>Thread-safe.
 */
public final class CCoreInteropServer implements AutoCloseable {

  /** Debian's interpreter: a {@code python3} first on PATH may not see Debian's packages. */
  private static final String PYTHON = "/usr/bin/python3";
  private static final long START_TIMEOUT_SECONDS = 30;

  private final Process process;
  private final Path workDir;
  private final int port;

  private CCoreInteropServer(Process process, Path workDir, int port) {
    this.process = process;
    this.workDir = workDir;
    this.port = port;
  }

  /** Starts the server and waits until it listens. */
  public static CCoreInteropServer start() throws IOException, InterruptedException {
    Path workDir = Files.createTempDirectory("ccore-interop");
    Path script = workDir.resolve("ccore_interop_server.py");
    try (InputStream in = CCoreInteropServer.class.getResourceAsStream("/interop/ccore_interop_server.py")) {
      Files.copy(in, script);
    }
    Path descriptors = workDir.resolve("interop.desc");
    Files.write(descriptors, descriptorSet().toByteArray());
    Path log = workDir.resolve("server.log");
    Process process = new ProcessBuilder(PYTHON, script.toString(), descriptors.toString())
        .redirectError(log.toFile())
        .start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> readPort(process, port), "ccore-interop-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      return new CCoreInteropServer(process, workDir, port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("the C-core interop server did not start (it needs Debian's"
          + " python3-grpcio at " + PYTHON + "; scripts/test-all.sh installs it): "
          + Files.readString(log, StandardCharsets.UTF_8), e);
    }
  }

  private static void readPort(Process process, CompletableFuture<Integer> port) {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("PORT ")) {
          port.complete(Integer.parseInt(line.substring(5).trim()));
        }
      }
      port.completeExceptionally(new IOException("the server exited with " + process.waitFor()));
    } catch (IOException | RuntimeException | InterruptedException e) {
      port.completeExceptionally(e);
    }
  }

  /** The interop protos and everything they import, as protoc would write them. */
  private static FileDescriptorSet descriptorSet() {
    Map<String, FileDescriptor> files = new LinkedHashMap<>();
    addWithDependencies(Messages.getDescriptor(), files);
    addWithDependencies(EmptyProtos.getDescriptor(), files);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    files.values().forEach(f -> set.addFile(f.toProto()));
    return set.build();
  }

  private static void addWithDependencies(FileDescriptor file, Map<String, FileDescriptor> files) {
    for (FileDescriptor dependency : file.getDependencies()) {
      addWithDependencies(dependency, files);
    }
    files.putIfAbsent(file.getName(), file);
  }

  /** Returns where the server listens. */
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close(); // the server stops when its standard input closes
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (var paths = Files.list(workDir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Files.delete(workDir);
  }
}
