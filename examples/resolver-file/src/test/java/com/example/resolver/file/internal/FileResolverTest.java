package com.example.resolver.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.testing.FakeResolverClientConn;
import dev.switchboard.channel.testing.ManualClock;
import dev.switchboard.channel.testing.Targets;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver with the testing kit's fakes: a {@link FakeResolverClientConn} records what it
 * reports, a {@link ManualClock} runs its polls when the test moves time, and reads run inline, so
 * every report has arrived when the call that caused it returns.
 */
class FileResolverTest {
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration NOW = Duration.ZERO;

  @TempDir Path dir;

  private final ManualClock clock = ManualClock.create();
  private final FakeResolverClientConn conn = FakeResolverClientConn.create();
  private final ResolverArgs args =
      ResolverArgs.newBuilder().scheduler(clock).offloadExecutor(Runnable::run).ticker(clock).build();

  @Test
  void reportsTheAddressesOfTheFileOnStart() throws Exception {
    Path file = write("# backends\n127.0.0.1:50051\n\n[::1]:50052\n");
    try (FileResolver r = start(file)) {
      assertThat(conn.awaitState(NOW).addresses()).containsExactly(
          Address.of(new InetSocketAddress("127.0.0.1", 50051)),
          Address.of(new InetSocketAddress("::1", 50052)));
    }
  }

  @Test
  void emptyFileIsAnEmptyAddressListNotAnError() throws Exception {
    try (FileResolver r = start(write("# nothing yet\n"))) {
      assertThat(conn.awaitState(NOW).addresses()).isEmpty();
    }
  }

  @Test
  void badLineIsAnErrorNamingTheFileAndLine() throws Exception {
    Path file = write("127.0.0.1:1\n127.0.0.1:http\n");
    try (FileResolver r = start(file)) {
      Status error = conn.awaitError(NOW);
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
      assertThat(conn.awaitError(NOW).description())
          .hasValueSatisfying(d -> assertThat(d).contains("cannot read " + file));
    }
  }

  @Test
  void changeOfTheFileIsReportedByThePollAndAnUnchangedFileIsNot() throws Exception {
    Path file = write("127.0.0.1:1\n");
    try (FileResolver r = start(file)) {
      assertThat(conn.states()).hasSize(1);
      clock.forwardTime(POLL);
      assertThat(conn.states()).as("unchanged: no report").hasSize(1);
      Files.writeString(file, "127.0.0.1:1\n127.0.0.1:2\n");
      clock.forwardTime(POLL);
      assertThat(conn.states()).hasSize(2);
      assertThat(conn.awaitState(NOW).addresses()).hasSize(2);
    }
  }

  @Test
  void resolveNowReportsEvenWhenNothingChanged() throws Exception {
    try (FileResolver r = start(write("127.0.0.1:1\n"))) {
      r.resolveNow();
      assertThat(conn.states()).hasSize(2);
    }
  }

  @Test
  void nothingIsReportedAfterCloseAndItsPollIsCancelled() throws Exception {
    Path file = write("127.0.0.1:1\n");
    FileResolver r = start(file);
    r.close();
    Files.writeString(file, "127.0.0.1:2\n");
    r.resolveNow();
    clock.forwardTime(POLL.multipliedBy(3));
    assertThat(conn.events()).hasSize(1);
    assertThat(clock.numPendingTasks()).isZero();
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
    FileResolver r = new FileResolver(file, conn, args, POLL);
    r.start();
    return r;
  }
}
