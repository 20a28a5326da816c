package dev.switchboard.channel.core;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener;
import dev.switchboard.channel.core.internal.transport.ClientTransportFactory;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory transport: tests register fake servers by address, then answer calls, refuse or
 * hang connects, send GOAWAY and drop connections. Every listener callback runs on one "event loop"
 * thread, never inline and never under a lock, like a Netty transport. Thread-safe.
 */
final class InMemoryTransportFactory implements ClientTransportFactory {
  private final ScheduledExecutorService scheduler;
  private final ExecutorService eventLoop =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "in-memory-event-loop");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<SocketAddress, FakeServer> servers = new ConcurrentHashMap<>();
  final List<FakeTransport> transports = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  InMemoryTransportFactory(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  static InetSocketAddress address(int port) {
    return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
  }

  FakeServer addServer(SocketAddress address) {
    FakeServer server = new FakeServer(address);
    servers.put(address, server);
    return server;
  }

  @Override
  public ManagedClientTransport newClientTransport(SocketAddress address, TransportOptions options) {
    FakeTransport transport = new FakeTransport(address, options);
    transports.add(transport);
    return transport;
  }

  @Override
  public ScheduledExecutorService scheduledExecutor() {
    return scheduler;
  }

  @Override
  public void close() {
    closed = true;
    eventLoop.shutdown();
  }

  private void post(Runnable task) {
    eventLoop.execute(task);
  }

  /** How a fake server treats a connection attempt. */
  enum ConnectMode {
    ACCEPT,
    REFUSE,
    HANG
  }

  /** A fake server at one address. */
  final class FakeServer {
    final SocketAddress address;
    volatile ConnectMode connectMode = ConnectMode.ACCEPT;
    /** What the server does when a call half-closes; echo by default. */
    volatile Consumer<ServerCall> onHalfClose = ServerCall::echo;
    final BlockingQueue<ServerCall> calls = new LinkedBlockingQueue<>();
    final List<FakeTransport> connections = new CopyOnWriteArrayList<>();
    final AtomicInteger connectAttempts = new AtomicInteger();

    FakeServer(SocketAddress address) {
      this.address = address;
    }

    ServerCall takeCall() {
      try {
        ServerCall call = calls.poll(10, TimeUnit.SECONDS);
        if (call == null) {
          throw new AssertionError("no call reached " + address);
        }
        return call;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    /** Returns the connections that are ready and not shut down. */
    List<FakeTransport> liveConnections() {
      List<FakeTransport> live = new ArrayList<>();
      for (FakeTransport t : connections) {
        if (t.isReady()) {
          live.add(t);
        }
      }
      return live;
    }
  }

  /** One fake connection. */
  final class FakeTransport implements ManagedClientTransport {
    final SocketAddress address;
    final TransportOptions options;
    final Attributes attributes;
    private final Object lock = new Object();
    private Listener listener;
    private boolean ready;
    private boolean shutdown;
    private boolean terminated;
    private final List<FakeStream> streams = new ArrayList<>();
    volatile FakeServer server;

    FakeTransport(SocketAddress address, TransportOptions options) {
      this.address = address;
      this.options = options;
      this.attributes = Attributes.newBuilder().set(ClientCall.REMOTE_ADDRESS, address).build();
    }

    @Override
    public Attributes attributes() {
      return attributes;
    }

    boolean isReady() {
      synchronized (lock) {
        return ready && !shutdown;
      }
    }

    boolean isTerminated() {
      synchronized (lock) {
        return terminated;
      }
    }

    @Override
    public void start(Listener listener) {
      synchronized (lock) {
        this.listener = listener;
      }
      FakeServer target = servers.get(address);
      if (target != null) {
        target.connectAttempts.incrementAndGet();
      }
      ConnectMode mode = target == null ? ConnectMode.REFUSE : target.connectMode;
      switch (mode) {
        case ACCEPT -> {
          server = target;
          target.connections.add(this);
          post(
              () -> {
                synchronized (lock) {
                  if (shutdown) {
                    return;
                  }
                  ready = true;
                }
                listener.transportReady();
              });
        }
        case REFUSE ->
            shutdown(Status.UNAVAILABLE.withDescription("connection refused: " + address));
        case HANG -> {
          // Never ready; the connect timeout or a shutdown ends it.
        }
        default -> throw new AssertionError(mode);
      }
    }

    @Override
    public ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions) {
      return new FakeStream(this, method, headers, callOptions);
    }

    @Override
    public void shutdown(Status reason) {
      Listener l;
      synchronized (lock) {
        if (shutdown) {
          return;
        }
        shutdown = true;
        l = listener;
      }
      post(() -> l.transportShutdown(reason));
      maybeTerminate();
    }

    @Override
    public void shutdownNow(Status reason) {
      shutdown(reason);
      List<FakeStream> copy;
      synchronized (lock) {
        copy = new ArrayList<>(streams);
      }
      for (FakeStream stream : copy) {
        stream.closeFromServer(reason, new Metadata(), ClientStreamListener.RpcProgress.PROCESSED);
      }
    }

    /** The server sends GOAWAY: no new streams, streams in flight go on. */
    void goAway() {
      shutdown(Status.UNAVAILABLE.withDescription("GOAWAY from " + address));
    }

    /** The connection is lost: every stream fails. */
    void drop() {
      shutdownNow(Status.UNAVAILABLE.withDescription("connection to " + address + " lost"));
    }

    private boolean addStream(FakeStream stream) {
      synchronized (lock) {
        if (!ready || shutdown) {
          return false;
        }
        streams.add(stream);
        return true;
      }
    }

    private void removeStream(FakeStream stream) {
      synchronized (lock) {
        streams.remove(stream);
      }
      maybeTerminate();
    }

    private void maybeTerminate() {
      Listener l;
      synchronized (lock) {
        if (!shutdown || terminated || !streams.isEmpty()) {
          return;
        }
        terminated = true;
        l = listener;
      }
      post(l::transportTerminated);
    }

    @Override
    public String toString() {
      return "FakeTransport{" + address + "}";
    }
  }

  /** The client's side of a fake stream. */
  final class FakeStream implements ClientStream {
    final FakeTransport transport;
    final MethodDescriptor<?, ?> method;
    final Metadata headers;
    final CallOptions callOptions;
    private final Object lock = new Object();
    private ClientStreamListener listener;
    private int requested;
    private final Queue<byte[]> toClient = new ArrayDeque<>();
    private boolean closed;
    private ServerCall serverCall;
    volatile int maxInboundMessageSize = -1;
    /** What the call options gave the stream, as the transport reads it; -1 for none. */
    final int maxOutboundMessageSize;

    /** Posts a listener event, followed by the end of its batch (one event per batch here). */
    private void postEvent(Runnable event) {
      post(() -> {
        event.run();
        ClientStreamListener l;
        synchronized (lock) {
          l = listener;
        }
        if (l != null) {
          l.eventsDelivered();
        }
      });
    }

    FakeStream(FakeTransport transport, MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions) {
      this.transport = transport;
      this.method = method;
      this.headers = headers;
      this.callOptions = callOptions;
      this.maxOutboundMessageSize = callOptions.maxOutboundMessageSize().orElse(-1);
    }

    @Override
    public void start(ClientStreamListener listener) {
      synchronized (lock) {
        this.listener = listener;
      }
      if (!transport.addStream(this)) {
        synchronized (lock) {
          closed = true;
        }
        postEvent(
            () -> listener.closed(
                Status.UNAVAILABLE.withDescription("stream refused by " + transport.address),
                ClientStreamListener.RpcProgress.REFUSED,
                new Metadata()));
        return;
      }
      ServerCall call = new ServerCall(this);
      synchronized (lock) {
        serverCall = call;
      }
      transport.server.calls.add(call);
    }

    @Override
    public void request(int numMessages) {
      synchronized (lock) {
        requested += numMessages;
      }
      deliver();
    }

    @Override
    public void writeMessage(InputStream message) {
      byte[] bytes;
      try (message) {
        bytes = message.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ServerCall call;
      synchronized (lock) {
        call = serverCall;
      }
      if (call != null) {
        call.received.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void halfClose() {
      ServerCall call;
      synchronized (lock) {
        call = serverCall;
      }
      if (call != null) {
        call.halfClosed = true;
        postEvent(() -> call.stream.transport.server.onHalfClose.accept(call));
      }
    }

    @Override
    public void cancel(Status reason) {
      ServerCall call;
      synchronized (lock) {
        call = serverCall;
      }
      if (call != null) {
        call.cancelledWith = reason;
      }
      closeFromServer(reason, new Metadata(), ClientStreamListener.RpcProgress.PROCESSED);
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setMessageCompression(boolean enabled) {}

    @Override
    public Attributes attributes() {
      return transport.attributes();
    }

    @Override
    public void setMaxInboundMessageSize(int bytes) {
      maxInboundMessageSize = bytes;
    }

    void sendToClient(byte[] message) {
      synchronized (lock) {
        if (closed) {
          return;
        }
        toClient.add(message);
      }
      deliver();
    }

    private void deliver() {
      postEvent(
          () -> {
            for (;;) {
              byte[] next;
              ClientStreamListener l;
              synchronized (lock) {
                if (closed || requested == 0 || toClient.isEmpty()) {
                  return;
                }
                requested--;
                next = toClient.poll();
                l = listener;
              }
              l.messageRead(new ByteArrayInputStream(next));
            }
          });
    }

    void closeFromServer(Status status, Metadata trailers, ClientStreamListener.RpcProgress progress) {
      // Posted, so that messages and headers sent before the close are delivered first.
      postEvent(
          () -> {
            ClientStreamListener l;
            synchronized (lock) {
              if (closed || listener == null) {
                return;
              }
              closed = true;
              l = listener;
            }
            l.closed(status, progress, trailers);
            transport.removeStream(this);
          });
    }

    void headersToClient(Metadata responseHeaders) {
      ClientStreamListener l;
      synchronized (lock) {
        if (closed) {
          return;
        }
        l = listener;
      }
      postEvent(() -> l.headersRead(responseHeaders));
    }
  }

  /** The server's side of one call, for tests to answer. */
  static final class ServerCall {
    final FakeStream stream;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile boolean halfClosed;
    volatile Status cancelledWith;

    ServerCall(FakeStream stream) {
      this.stream = stream;
    }

    String method() {
      return stream.method.fullMethodName();
    }

    void sendHeaders() {
      stream.headersToClient(new Metadata());
    }

    void sendMessage(String message) {
      stream.sendToClient(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void close(Status status) {
      stream.closeFromServer(status, new Metadata(), ClientStreamListener.RpcProgress.PROCESSED);
    }

    /** Answers each received message with itself and closes OK. */
    void echo() {
      sendHeaders();
      for (String message : received) {
        sendMessage(message);
      }
      close(Status.OK);
    }

    /** Closes the stream as refused (never processed). */
    void refuse() {
      stream.closeFromServer(
          Status.UNAVAILABLE.withDescription("refused"), new Metadata(), ClientStreamListener.RpcProgress.REFUSED);
    }
  }
}
