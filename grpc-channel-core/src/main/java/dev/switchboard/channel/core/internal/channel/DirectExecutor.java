package dev.switchboard.channel.core.internal.channel;

import java.util.concurrent.Executor;

/**
 * Runs each task on the thread that submits it: the executor of
 * {@code ChannelBuilder.directExecutor()}, recognised by identity so that a call's callbacks skip
 * the serializing queue (see {@link SerializingExecutor}).
 *
 * <p>Thread-safe and stateless.
 */
public enum DirectExecutor implements Executor {
  /** The one instance. */
  INSTANCE;

  @Override
  public void execute(Runnable task) {
    task.run();
  }

  @Override
  public String toString() {
    return "DirectExecutor";
  }
}
