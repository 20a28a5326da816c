package dev.switchboard.channel.core.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import io.netty.handler.codec.http2.Http2Connection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Recording listeners and small helpers for transport tests. */
final class TestListeners {

  static final long TIMEOUT_SECONDS = 10;

  private TestListeners() {}

  /** A marshaller of raw bytes. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static MethodDescriptor<byte[], byte[]> method(String fullName, MethodDescriptor.MethodType type) {
    return MethodDescriptor.newBuilder(BYTES, BYTES).fullMethodName(fullName).type(type).build();
  }

  /** Polls {@code condition} until it holds or the timeout passes. */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(2); // polling interval, not a wait for the condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Records a transport's life cycle. */
  static final class TransportRecorder implements ManagedClientTransport.Listener {
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<Status> shutdown = new CompletableFuture<>();
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void transportReady() {
      events.add("ready");
      ready.complete(null);
    }

    @Override
    public void transportShutdown(Status reason) {
      events.add("shutdown");
      shutdown.complete(reason);
    }

    @Override
    public void transportTerminated() {
      events.add("terminated");
      terminated.complete(null);
    }

    @Override
    public void transportInUse(boolean inUse) {
      events.add("inUse=" + inUse);
    }

    void awaitReady() throws Exception {
      ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    Status awaitShutdown() throws Exception {
      return shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    void awaitTerminated() throws Exception {
      terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /**
   * Returns the window each new stream of {@code transport} gets and the connection's window, as its
   * codec has them (read on its event loop).
   */
  static int[] receiveWindows(NettyClientTransport transport) {
    try {
      return transport.eventLoop().submit(() -> {
        Http2Connection c = transport.handler().connection();
        return new int[] {
            c.local().flowController().initialWindowSize(),
            c.local().flowController().initialWindowSize(c.connectionStream())};
      }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** The end of a stream. */
  record Closed(Status status, ClientStreamListener.RpcProgress progress, Metadata trailers) {}

  /** Records a stream's events. */
  static class StreamRecorder implements ClientStreamListener {
    final CompletableFuture<Metadata> headers = new CompletableFuture<>();
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final AtomicInteger onReady = new AtomicInteger();
    final AtomicInteger closeCount = new AtomicInteger();
    final AtomicInteger messageCount = new AtomicInteger();
    /** Calls of eventsDelivered(). */
    final AtomicInteger batches = new AtomicInteger();
    /** The batch (the count of eventsDelivered() calls before it) of the headers, the last message and the close. */
    volatile int headersBatch = -1;
    volatile int messageBatch = -1;
    volatile int closeBatch = -1;
    volatile Thread callbackThread;

    @Override
    public void headersRead(Metadata metadata) {
      callbackThread = Thread.currentThread();
      headersBatch = batches.get();
      headers.complete(metadata);
    }

    @Override
    public void messageRead(InputStream message) {
      messageBatch = batches.get();
      messageCount.incrementAndGet();
      messages.add(BYTES.parse(message));
    }

    @Override
    public void onReady() {
      onReady.incrementAndGet();
    }

    @Override
    public void closed(Status status, RpcProgress progress, Metadata trailers) {
      closeBatch = batches.get();
      closeCount.incrementAndGet();
      closed.complete(new Closed(status, progress, trailers));
    }

    @Override
    public void eventsDelivered() {
      batches.incrementAndGet();
    }

    Closed awaitClosed() throws Exception {
      Closed c = closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(closeCount.get()).as("closed() calls").isEqualTo(1);
      return c;
    }

    byte[] awaitMessage() throws InterruptedException {
      byte[] m = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no message within " + TIMEOUT_SECONDS + " s");
      }
      return m;
    }
  }
}
