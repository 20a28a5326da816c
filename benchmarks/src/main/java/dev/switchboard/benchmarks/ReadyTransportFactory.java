package dev.switchboard.benchmarks;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientTransportFactory;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import java.net.SocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Connections that become READY without a network, for a real channel in a benchmark: a transport
 * reports {@code transportReady} from the factory's one "event loop" thread as soon as it is
 * started (never inline, as a Netty transport reports from its event loop), and
 * {@code transportShutdown} then {@code transportTerminated} when shut down. It carries no calls:
 * {@link ManagedClientTransport#newStream} throws.
 *
 * <p>The channel's timer (connect timeouts, backoff) is one daemon thread that drops cancelled
 * tasks. {@link #close()}, which the channel calls when it terminates, stops both threads.
 *
 * <p>Public for the benchmarks' other packages ({@code zookeeper}).
 *
 * <p>Thread-safe.
 */
public final class ReadyTransportFactory implements ClientTransportFactory {
  private final ExecutorService eventLoop = Executors.newSingleThreadExecutor(daemon("ready-transport-loop"));
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("ready-transport-timer"));

  public ReadyTransportFactory() {
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public ManagedClientTransport newClientTransport(SocketAddress address, TransportOptions options) {
    return new ReadyTransport(address);
  }

  @Override
  public ScheduledExecutorService scheduledExecutor() {
    return timer;
  }

  @Override
  public void close() {
    eventLoop.shutdown();
    timer.shutdown();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private final class ReadyTransport implements ManagedClientTransport {
    private final SocketAddress address;
    private final Attributes attributes;
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private volatile Listener listener;

    ReadyTransport(SocketAddress address) {
      this.address = address;
      this.attributes = Attributes.newBuilder().set(ClientCall.REMOTE_ADDRESS, address).build();
    }

    @Override
    public void start(Listener transportListener) {
      listener = transportListener;
      eventLoop.execute(() -> {
        if (!shutdown.get()) {
          transportListener.transportReady();
        }
      });
    }

    @Override
    public ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions) {
      throw new UnsupportedOperationException("the benchmark's transports carry no calls");
    }

    @Override
    public Attributes attributes() {
      return attributes;
    }

    @Override
    public void shutdown(Status reason) {
      Listener l = listener;
      if (shutdown.compareAndSet(false, true) && l != null) { // a subconn starts what it creates
        eventLoop.execute(() -> {
          l.transportShutdown(reason);
          l.transportTerminated();
        });
      }
    }

    @Override
    public void shutdownNow(Status reason) {
      shutdown(reason);
    }

    @Override
    public String toString() {
      return "ReadyTransport{" + address + "}";
    }
  }
}
