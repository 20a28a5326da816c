package dev.switchboard.channel.core.internal.transport.netty;

import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.FULL_DUPLEX;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.STREAMING_OUTPUT;
import static dev.switchboard.channel.core.internal.transport.netty.NettyTransportGrpcJavaTest.UNARY_CALL;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import dev.switchboard.channel.core.internal.transport.TransportOptions;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.StreamRecorder;
import dev.switchboard.channel.core.internal.transport.netty.TestListeners.TransportRecorder;
import io.grpc.testing.integration.Messages;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many concurrent calls of every kind, cancelled at random points: each ends once, none hangs. */
class NettyTransportSoakTest {

  @Test
  void mixedCallsWithRandomCancellationsAllEndExactlyOnce() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext();
        NettyTransportFactory factory = new NettyTransportFactory(
            NettyTransportSettings.newBuilder().usePlaintext().build())) {
      TransportRecorder events = new TransportRecorder();
      ManagedClientTransport transport = factory.newClientTransport(server.address(),
          new TransportOptions("localhost", "switchboard-test/0.1", Attributes.EMPTY));
      transport.start(events);
      events.awaitReady();
      List<Future<List<StreamRecorder>>> batches = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = t;
        batches.add(callers.submit(() -> runBatch(transport, new Random(seed), 100)));
      }
      int ok = 0;
      for (Future<List<StreamRecorder>> batch : batches) {
        for (StreamRecorder rec : batch.get()) {
          Status status = rec.awaitClosed().status();
          assertThat(status.code()).as(status.toString())
              .isIn(Status.Code.OK, Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED);
          ok += status.isOk() ? 1 : 0;
        }
      }
      assertThat(ok).as("calls that completed normally").isPositive();
      transport.shutdown(Status.UNAVAILABLE.withDescription("soak over"));
      events.awaitTerminated();
      assertThat(events.events).containsSubsequence("ready", "shutdown", "terminated").endsWith("terminated");
    } finally {
      callers.shutdownNow();
    }
  }

  private static List<StreamRecorder> runBatch(ManagedClientTransport transport, Random random, int calls) {
    List<StreamRecorder> recs = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      StreamRecorder rec = new StreamRecorder();
      recs.add(rec);
      CallOptions options = random.nextInt(10) == 0
          ? CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(random.nextInt(20)))
          : CallOptions.DEFAULT;
      switch (random.nextInt(3)) {
        case 0: {
          ClientStream s = transport.newStream(UNARY_CALL, new Metadata(), options);
          s.start(rec);
          s.request(1);
          s.writeMessage(new ByteArrayInputStream(Messages.SimpleRequest.newBuilder()
              .setResponseSize(random.nextInt(100_000))
              .setPayload(Messages.Payload.newBuilder()
                  .setBody(ByteString.copyFrom(new byte[random.nextInt(100_000)])))
              .build().toByteArray()));
          s.halfClose();
          maybeCancel(s, random);
          break;
        }
        case 1: {
          ClientStream s = transport.newStream(STREAMING_OUTPUT, new Metadata(), options);
          s.start(rec);
          s.request(Integer.MAX_VALUE);
          Messages.StreamingOutputCallRequest.Builder req = Messages.StreamingOutputCallRequest.newBuilder();
          for (int r = random.nextInt(10); r >= 0; r--) {
            req.addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(random.nextInt(50_000)));
          }
          s.writeMessage(new ByteArrayInputStream(req.build().toByteArray()));
          s.halfClose();
          maybeCancel(s, random);
          break;
        }
        default: {
          ClientStream s = transport.newStream(FULL_DUPLEX, new Metadata(), options);
          s.start(rec);
          s.request(100);
          for (int m = random.nextInt(5); m >= 0; m--) {
            s.writeMessage(new ByteArrayInputStream(Messages.StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(Messages.ResponseParameters.newBuilder().setSize(random.nextInt(10_000)))
                .build().toByteArray()));
          }
          maybeCancel(s, random);
          s.halfClose();
          break;
        }
      }
    }
    return recs;
  }

  private static void maybeCancel(ClientStream stream, Random random) {
    if (random.nextInt(4) == 0) {
      stream.cancel(Status.CANCELLED.withDescription("soak cancel"));
    }
  }
}
