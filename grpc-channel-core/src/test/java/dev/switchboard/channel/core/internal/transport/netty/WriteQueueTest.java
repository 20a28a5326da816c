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
  void aLongDrainFlushesEvery128Commands() {
    WriteQueue queue = new WriteQueue(channel);
    for (int i = 0; i < 300; i++) {
      queue.enqueue(() -> { }, true);
    }
    channel.runPendingTasks();
    assertThat(flushes.get()).isEqualTo(3); // after 128, after 256, at the end
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
