package com.example.resolver.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.testing.Targets;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileResolverTest {
  @TempDir Path dir;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final RecordingClientConn conn = new RecordingClientConn();
  private final ResolverArgs args =
      ResolverArgs.newBuilder().scheduler(scheduler).offloadExecutor(scheduler).build();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void reportsTheAddressesOfTheFileOnStart() throws Exception {
    Path file = write("# backends\n127.0.0.1:50051\n\n[::1]:50052\n");
    try (FileResolver r = start(file)) {
      assertThat(conn.nextState().addresses()).containsExactly(
          Address.of(new InetSocketAddress("127.0.0.1", 50051)),
          Address.of(new InetSocketAddress("::1", 50052)));
    }
  }

  @Test
  void emptyFileIsAnEmptyAddressListNotAnError() throws Exception {
    try (FileResolver r = start(write("# nothing yet\n"))) {
      assertThat(conn.nextState().addresses()).isEmpty();
    }
  }

  @Test
  void badLineIsAnErrorNamingTheFileAndLine() throws Exception {
    Path file = write("127.0.0.1:1\n127.0.0.1:http\n");
    try (FileResolver r = start(file)) {
      Status error = conn.nextError();
      assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(error.description()).hasValueSatisfying(d -> assertThat(d)
          .contains(file.toString()).contains("line 2").contains("127.0.0.1:http")
          .contains("expected: 1-65535"));
    }
  }

  @Test
  void ipv6WithoutBracketsIsRejected() {
    assertThatThrownBy(() -> FileResolver.parse("::1:80"))
        .hasMessageContaining("'::1:80'").hasMessageContaining("[ipv6]:port");
  }

  @Test
  void missingFileIsAnErrorNamingTheFile() throws Exception {
    Path file = dir.resolve("absent.txt");
    try (FileResolver r = start(file)) {
      assertThat(conn.nextError().description())
          .hasValueSatisfying(d -> assertThat(d).contains("cannot read " + file));
    }
  }

  @Test
  void changeOfTheFileIsReportedByThePoll() throws Exception {
    Path file = write("127.0.0.1:1\n");
    try (FileResolver r = start(file)) {
      assertThat(conn.nextState().addresses()).hasSize(1);
      Files.writeString(file, "127.0.0.1:1\n127.0.0.1:2\n");
      assertThat(conn.nextState().addresses()).hasSize(2);
    }
  }

  @Test
  void resolveNowReportsEvenWhenNothingChanged() throws Exception {
    try (FileResolver r = start(write("127.0.0.1:1\n"))) {
      conn.nextState();
      r.resolveNow();
      assertThat(conn.nextState().addresses()).hasSize(1);
    }
  }

  @Test
  void nothingIsReportedAfterClose() throws Exception {
    Path file = write("127.0.0.1:1\n");
    FileResolver r = start(file);
    conn.nextState();
    r.close();
    Files.writeString(file, "127.0.0.1:2\n");
    r.resolveNow();
    // Three poll periods are enough for a report that should not come.
    assertThat(conn.events.poll(150, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void tripleSlashTargetIsAnAbsolutePath() {
    assertThat(FileResolverProvider.path(Targets.parse("file:///etc/backends")))
        .isEqualTo(Path.of("/etc/backends"));
    assertThat(FileResolverProvider.path(Targets.parse("file:backends.txt")))
        .isEqualTo(Path.of("backends.txt"));
  }

  @Test
  void authorityIsRejectedWithTheTarget() {
    assertThatThrownBy(() -> FileResolverProvider.path(Targets.parse("file://host/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("file://host/x").hasMessageContaining("authority 'host'");
  }

  private Path write(String content) throws Exception {
    Path file = dir.resolve("backends.txt");
    Files.writeString(file, content);
    return file;
  }

  private FileResolver start(Path file) {
    FileResolver r = new FileResolver(file, conn, args, Duration.ofMillis(20));
    r.start();
    return r;
  }

  /** Records what the resolver reports, in order. */
  private static final class RecordingClientConn implements ClientConn {
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public Status updateState(ResolverState state) {
      events.add(state);
      return Status.OK;
    }

    @Override
    public void reportError(Status error) {
      events.add(error);
    }

    @Override
    public ConfigOrError<ServiceConfig> parseServiceConfig(String json) {
      return ConfigOrError.fromError(Status.UNIMPLEMENTED.withDescription("not in this test"));
    }

    ResolverState nextState() throws InterruptedException {
      Object e = events.poll(5, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(ResolverState.class);
      return (ResolverState) e;
    }

    Status nextError() throws InterruptedException {
      Object e = events.poll(5, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(Status.class);
      return (Status) e;
    }
  }
}
