package com.example.resolver.file.internal;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads one file of addresses and reports it: on start, on every {@link #resolveNow()}, and when a
 * poll finds its content changed.
 *
 * <p>The format is one address per line, {@code host:port} or {@code [ipv6]:port}; blank lines and
 * lines starting with {@code #} are skipped. A host name is looked up (reading happens on the
 * channel's offload executor). An unreadable file or a bad line is reported as an
 * {@code UNAVAILABLE} error that names the file and the line, and the channel keeps the last good
 * addresses. An empty file is an empty address list, not an error.
 *
 * <p>Thread-safe: reads are serialized; nothing is reported after {@link #close()} returns.
 */
final class FileResolver implements Resolver {
  private final Path file;
  private final ClientConn clientConn;
  private final ResolverArgs args;
  private final Duration pollInterval;
  private final Object lock = new Object();
  private final AtomicBoolean readQueued = new AtomicBoolean();

  // Guarded by lock.
  private boolean closed;
  private String lastContent;
  private boolean reportNext;
  private ScheduledFuture<?> poll;

  FileResolver(Path file, ClientConn clientConn, ResolverArgs args, Duration pollInterval) {
    this.file = file;
    this.clientConn = clientConn;
    this.args = args;
    this.pollInterval = pollInterval;
  }

  void start() {
    synchronized (lock) {
      reportNext = true;
      poll = args.scheduler().scheduleWithFixedDelay(this::queueRead,
          pollInterval.toNanos(), pollInterval.toNanos(), TimeUnit.NANOSECONDS);
    }
    queueRead();
  }

  @Override
  public void resolveNow() {
    synchronized (lock) {
      reportNext = true;
    }
    queueRead();
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (poll != null) {
        poll.cancel(false);
      }
    }
  }

  /** Runs one read on the offload executor; reads asked for while one is queued merge into it. */
  private void queueRead() {
    if (readQueued.compareAndSet(false, true)) {
      try {
        args.offloadExecutor().execute(this::read);
      } catch (RejectedExecutionException e) {
        readQueued.set(false);
      }
    }
  }

  private void read() {
    readQueued.set(false);
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      // The error stands in for the content, so that one failure is reported once, not every poll.
      report("\0" + e, Status.UNAVAILABLE.withDescription(
          "file resolver: cannot read " + file + ": " + e));
      return;
    }
    synchronized (lock) {
      if (closed || (!reportNext && content.equals(lastContent))) {
        return;
      }
    }
    List<Address> addresses = new ArrayList<>();
    String[] lines = content.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        addresses.add(Address.of(parse(line)));
      } catch (IllegalArgumentException | UnknownHostException e) {
        report(content, Status.UNAVAILABLE.withDescription(
            "file resolver: " + file + " line " + (i + 1) + ": " + e.getMessage()));
        return;
      }
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      lastContent = content;
      reportNext = false;
      // Under the lock, so that close() waits for a report in flight and none follows it.
      clientConn.updateState(ResolverState.newBuilder().addresses(addresses).build());
    }
  }

  /** Reports {@code error} unless {@code content} (or the read failure) was reported already. */
  private void report(String content, Status error) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      // A broken file is reported once per change (or per resolveNow), not on every poll.
      if (!reportNext && content.equals(lastContent)) {
        return;
      }
      lastContent = content;
      reportNext = false;
      clientConn.reportError(error);
    }
  }

  /** Parses {@code host:port} or {@code [ipv6]:port}. */
  static InetSocketAddress parse(String line) throws UnknownHostException {
    int colon = line.lastIndexOf(':');
    if (colon <= 0 || colon == line.length() - 1) {
      throw new IllegalArgumentException(ErrorText.quote(line) + " (expected: host:port or [ipv6]:port)");
    }
    String host = line.substring(0, colon);
    String portText = line.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          ErrorText.quote(line) + ": an IPv6 address needs brackets (expected: [ipv6]:port)");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(ErrorText.quote(line) + ": port " + portText + " (expected: 1-65535)");
    }
    return new InetSocketAddress(InetAddress.getByName(host), port);
  }
}
