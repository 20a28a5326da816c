package dev.switchboard.channel.core.internal.transport.netty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that holds every byte for a fixed delay in each direction, so that a
 * connection through it has a round trip of twice that delay and a bandwidth-delay product larger
 * than loopback's (grpc-java tests its BDP flow control behind a similar proxy). One connection.
 */
final class DelayingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final long delayNanos;
  private volatile Socket client;
  private volatile Socket server;

  DelayingProxy(InetSocketAddress target, Duration delay) throws IOException {
    this.target = target;
    this.delayNanos = delay.toNanos();
    this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptOne, "delaying-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  private void acceptOne() {
    try {
      client = listener.accept();
      server = new Socket(target.getAddress(), target.getPort());
      pump(client, server, "to-server");
      pump(server, client, "to-client");
    } catch (IOException e) {
      closeQuietly();
    }
  }

  /** Reads from {@code from}, and writes each chunk to {@code to} once it has waited the delay. */
  private void pump(Socket from, Socket to, String name) {
    BlockingQueue<Chunk> queue = new DelayQueue<>();
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          queue.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayNanos));
        }
      } catch (IOException e) {
        // closed: the end of the stream follows the bytes read so far
      }
      queue.add(new Chunk(null, System.nanoTime() + delayNanos));
    }, "delaying-proxy-read-" + name);
    Thread writer = new Thread(() -> {
      try {
        OutputStream out = to.getOutputStream();
        for (Chunk c = queue.take(); c.bytes != null; c = queue.take()) {
          out.write(c.bytes);
        }
        to.shutdownOutput();
      } catch (IOException | InterruptedException e) {
        closeQuietly();
      }
    }, "delaying-proxy-write-" + name);
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    for (AutoCloseable c : new AutoCloseable[] {listener, client, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing anyway
      }
    }
  }

  /** Bytes due at a time; null bytes mark the end of the stream. */
  private static final class Chunk implements Delayed {
    final byte[] bytes;
    final long dueNanos;
    /** Chunks due at the same nanosecond keep their order by sequence. */
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final long sequence = SEQUENCE.getAndIncrement();

    Chunk(byte[] bytes, long dueNanos) {
      this.bytes = bytes;
      this.dueNanos = dueNanos;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Chunk o = (Chunk) other;
      int byDue = Long.compare(dueNanos, o.dueNanos);
      return byDue != 0 ? byDue : Long.compare(sequence, o.sequence);
    }
  }
}
