package dev.switchboard.channel.core.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteQueueTest {

  private final AtomicInteger flushes = new AtomicInteger();
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
      ctx.flush();
    }
  });

  @Test
  void commandsOfOneTurnRunInOrderAndShareOneFlush() {
    WriteQueue queue = new WriteQueue(channel);
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      int n = i;
      queue.enqueue(() -> ran.add(n), true);
    }
    assertThat(ran).isEmpty();
    channel.runPendingTasks();
    assertThat(ran).hasSize(50).isSorted();
    assertThat(flushes.get()).isEqualTo(1);
  }

  @Test
  void manyCommandsThatWriteLittleShareOneFlush() {
    WriteQueue queue = new WriteQueue(channel);
    int commands = WriteQueue.FLUSH_BYTES / 1000 + 30; // fewer than a turn's worth
    for (int i = 0; i < commands; i++) {
      queue.enqueue(() -> queue.written(1000), true);
    }
    channel.runPendingTasks();
    // One flush once FLUSH_BYTES were written, one at the end.
    assertThat(flushes.get()).isEqualTo(2);
  }

  @Test
  void aDrainFlushesEarlyOnceItHasWrittenFlushBytes() {
    WriteQueue queue = new WriteQueue(channel);
    List<Integer> flushesSeen = new ArrayList<>();
    queue.enqueue(() -> queue.written(WriteQueue.FLUSH_BYTES - 1), true);
    queue.enqueue(() -> flushesSeen.add(flushes.get()), true);
    queue.enqueue(() -> queue.written(1), true);
    queue.enqueue(() -> flushesSeen.add(flushes.get()), true);
    channel.runPendingTasks();
    assertThat(flushesSeen).containsExactly(0, 1); // one byte short: none; at the limit: one
    assertThat(flushes.get()).isEqualTo(2);
  }

  @Test
  void commandsThatWriteNothingNeverFlushBeforeTheEndOfTheDrain() {
    WriteQueue queue = new WriteQueue(channel);
    List<Integer> flushesSeen = new ArrayList<>();
    for (int i = 0; i < WriteQueue.COMMANDS_PER_TURN; i++) {
      queue.enqueue(() -> flushesSeen.add(flushes.get()), true);
    }
    channel.runPendingTasks();
    assertThat(flushesSeen).hasSize(WriteQueue.COMMANDS_PER_TURN).containsOnly(0);
    assertThat(flushes.get()).isEqualTo(1);
  }

  @Test
  void aDrainLongerThanOneTurnYieldsAndContinuesInOrder() {
    WriteQueue queue = new WriteQueue(channel);
    List<Integer> ran = new ArrayList<>();
    int total = WriteQueue.COMMANDS_PER_TURN + 10;
    for (int i = 0; i < total; i++) {
      int n = i;
      queue.enqueue(() -> ran.add(n), true);
    }
    channel.runPendingTasks(); // the second turn is a task queued by the first
    channel.runPendingTasks();
    assertThat(ran).hasSize(total).isSorted();
  }

  @Test
  void aThrowingCommandDoesNotStopTheOthers() {
    WriteQueue queue = new WriteQueue(channel);
    List<String> ran = new ArrayList<>();
    queue.enqueue(() -> {
      throw new IllegalStateException("boom");
    }, true);
    queue.enqueue(() -> ran.add("after"), true);
    channel.runPendingTasks();
    assertThat(ran).containsExactly("after");
  }

  @Test
  void aCommandWithoutFlushWaitsForTheNextFlushingOneAndRunsBeforeIt() {
    WriteQueue queue = new WriteQueue(channel);
    List<String> ran = new ArrayList<>();
    queue.enqueue(() -> ran.add("headers"), false);
    queue.enqueue(() -> ran.add("message"), false);
    channel.runPendingTasks();
    assertThat(ran).isEmpty();
    assertThat(flushes.get()).isZero();

    queue.enqueue(() -> ran.add("half-close"), true);
    channel.runPendingTasks();
    assertThat(ran).containsExactly("headers", "message", "half-close");
    assertThat(flushes.get()).isEqualTo(1);
  }
}
