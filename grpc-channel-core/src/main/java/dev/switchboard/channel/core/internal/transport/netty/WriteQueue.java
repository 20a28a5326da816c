package dev.switchboard.channel.core.internal.transport.netty;

import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs commands for one connection on its event loop, in order, and flushes once per drain rather
 * than once per write, as grpc-java's {@code WriteQueue} does: writes from many streams and threads
 * in the same event-loop turn leave in as few syscalls as possible.
 *
 * <p>Within a drain, a flush happens early only once {@value #FLUSH_BYTES} bytes were written
 * since the last one (commands report what they wrote through {@link #written}), so that a drain
 * of many large messages starts moving before its end while several of them still share one
 * write (a flush per 64 KiB message left each one as a write of its own, split into two TCP
 * segments on loopback); a command that writes nothing never causes a flush. A drain that has
 * run {@value #COMMANDS_PER_TURN} commands gives the event loop back (reads, timers) and continues
 * in a later turn.
 *
 * <p>Thread-safe: {@link #enqueue} from any thread; commands and {@link #written} run on the
 * channel's event loop.
 */
final class WriteQueue {

  private static final System.Logger LOG = System.getLogger(WriteQueue.class.getName());
  /** Bytes written since the last flush that make the drain flush before it ends. */
  static final int FLUSH_BYTES = 256 * 1024;
  /** Commands one drain runs before it lets the event loop do other work. */
  static final int COMMANDS_PER_TURN = 1024;

  private final Channel channel;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  // Event loop only.
  private long unflushedBytes;
  /** Commands run and drains done; for tests and diagnostics (read on the event loop). */
  private long commandsRun;
  private long drains;

  WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /**
   * Queues {@code command} to run on the event loop, followed by a flush. With {@code flush} false
   * no drain is scheduled: the command runs in the next drain, which a later command must schedule.
   *
   * @throws RejectedExecutionException if the event loop has shut down (the command is not queued)
   */
  void enqueue(Runnable command, boolean flush) {
    queue.add(command);
    if (flush && scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drain);
      } catch (RejectedExecutionException e) {
        // The loop has shut down: the command will never run, and the caller hears so.
        queue.remove(command);
        scheduled.set(false);
        throw e;
      }
    }
  }

  /** A command wrote {@code bytes} to the channel (unflushed); event loop only. */
  void written(int bytes) {
    unflushedBytes += bytes;
  }

  long commandsRun() {
    return commandsRun;
  }

  long drains() {
    return drains;
  }

  private void drain() {
    drains++;
    int commands = 0;
    try {
      Runnable command;
      while (commands < COMMANDS_PER_TURN && (command = queue.poll()) != null) {
        commands++;
        commandsRun++;
        try {
          command.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "transport command failed on " + channel, e);
        }
        if (unflushedBytes >= FLUSH_BYTES) {
          flush();
        }
      }
    } finally {
      flush();
      scheduled.set(false);
      // Left over after this turn, or enqueued between the last poll and resetting the flag.
      if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
        channel.eventLoop().execute(drain);
      }
    }
  }

  private void flush() {
    unflushedBytes = 0;
    channel.flush();
  }
}
