package dev.switchboard.channel.api.stub;

import java.lang.System.Logger.Level;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An executor with no thread of its own: tasks queue up until the blocked caller drains them, so a
 * blocking call's callbacks run on the caller's thread without a hop through a pool (as grpc-java's
 * {@code ThreadlessExecutor}). After {@link #shutdown()}, tasks run on the thread that submits them.
 *
 * <p>Thread-safe: any thread may submit; one thread drains.
 */
final class ThreadlessExecutor implements Executor {

  private static final System.Logger LOG = System.getLogger(ThreadlessExecutor.class.getName());

  private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Object lock = new Object();
  private boolean shutdown;

  @Override
  public void execute(Runnable task) {
    synchronized (lock) {
      if (!shutdown) {
        queue.add(task);
        return;
      }
    }
    runSafely(task);
  }

  /** Waits for at least one task, then runs every queued task. */
  void waitAndDrain() throws InterruptedException {
    runSafely(queue.take());
    drain();
  }

  /** Runs every queued task without waiting. */
  void drain() {
    for (Runnable task = queue.poll(); task != null; task = queue.poll()) {
      runSafely(task);
    }
  }

  /** Runs what is queued; later tasks run where they are submitted. */
  void shutdown() {
    synchronized (lock) {
      shutdown = true;
    }
    drain();
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // A throwing callback must not strand the blocked caller: the rest still runs.
      LOG.log(Level.WARNING, "a call callback threw", e);
    }
  }
}
