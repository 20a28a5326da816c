package dev.switchboard.channel.core.internal.transport.netty;

import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs commands for one connection on its event loop, in order, and flushes once per drain rather
 * than once per write, as grpc-java's {@code WriteQueue} does: writes from many streams and threads
 * in the same event-loop turn leave in as few syscalls as possible.
 *
 * <p>Thread-safe: {@link #enqueue} from any thread; commands run on the channel's event loop.
 */
final class WriteQueue {

  private static final System.Logger LOG = System.getLogger(WriteQueue.class.getName());
  /** Flushes at least every this many commands, so a long drain does not hold everything back. */
  private static final int MAX_COMMANDS_PER_FLUSH = 128;

  private final Channel channel;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /**
   * Queues {@code command} to run on the event loop, followed by a flush. With {@code flush} false
   * no drain is scheduled: the command runs in the next drain, which a later command (a stream's
   * half-close, say) must schedule.
   */
  void enqueue(Runnable command, boolean flush) {
    queue.add(command);
    if (flush && scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(drain);
    }
  }

  private void drain() {
    try {
      int n = 0;
      Runnable command;
      while ((command = queue.poll()) != null) {
        try {
          command.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "transport command failed on " + channel, e);
        }
        if (++n == MAX_COMMANDS_PER_FLUSH) {
          channel.flush();
          n = 0;
        }
      }
    } finally {
      scheduled.set(false);
      channel.flush();
      // A command enqueued between the last poll and resetting the flag would otherwise wait.
      if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
        channel.eventLoop().execute(drain);
      }
    }
  }
}
