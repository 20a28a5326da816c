package dev.switchboard.channel.core.internal.transport;

import java.net.SocketAddress;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Creates connections for subchannels. One factory serves one channel (and the out-of-band channels
 * it creates); the channel closes it when it terminates.
 *
 * <p>Thread-safe.
 */
public interface ClientTransportFactory extends AutoCloseable {

  /**
   * Creates an unstarted transport to {@code address}. It does not connect until
   * {@link ManagedClientTransport#start}.
   */
  ManagedClientTransport newClientTransport(SocketAddress address, TransportOptions options);

  /**
   * Returns the timer the transports use (deadlines, keepalive). The channel may use it too; it
   * must not shut it down.
   */
  ScheduledExecutorService scheduledExecutor();

  /** Releases what the factory owns (event loops it created). Transports must be closed first. */
  @Override
  void close();
}
