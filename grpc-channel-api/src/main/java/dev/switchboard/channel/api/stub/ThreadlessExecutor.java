package dev.switchboard.channel.api.stub;

import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * An executor with no thread of its own: tasks queue up until the blocked caller drains them, so a
 * blocking call's callbacks run on the caller's thread without a hop through a pool (as grpc-java's
 * {@code ThreadlessExecutor}). After {@link #shutdown()}, tasks run on the thread that submits them.
 *
 * <p>A lock-free queue and {@link LockSupport#unpark} of the waiting thread only: a submitter never
 * blocks, and the caller is woken only while it is parked, once for a burst of tasks.
 *
 * <p>Thread-safe: any thread may submit; one thread drains.
 */
final class ThreadlessExecutor implements Executor {

  private static final System.Logger LOG = System.getLogger(ThreadlessExecutor.class.getName());

  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  /** The draining thread while it is parked in {@link #waitAndDrain}, else null. */
  private volatile Thread waiter;
  private volatile boolean shutdown;

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    if (shutdown) {
      // Whoever removes it runs it: this thread, or the drain of shutdown() if it came first.
      if (queue.remove(task)) {
        runSafely(task);
      }
      return;
    }
    Thread parked = waiter;
    if (parked != null) {
      LockSupport.unpark(parked);
    }
  }

  /** Waits for at least one task, then runs every queued task. */
  void waitAndDrain() throws InterruptedException {
    Runnable task = queue.poll();
    if (task == null) {
      waiter = Thread.currentThread();
      try {
        // A task queued between the poll and the park leaves a permit: park returns at once.
        while ((task = queue.poll()) == null) {
          LockSupport.park(this);
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
        }
      } finally {
        waiter = null;
      }
    }
    runSafely(task);
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
    shutdown = true;
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
