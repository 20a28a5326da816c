package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.backend.MethodHandler;
import dev.switchboard.channel.testing.backend.TestBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A test registers its own methods on a test backend: a fake load balancer, any service. */
class RegisteredMethodTest {

  private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private static final MethodDescriptor<String, String> UPPER = MethodDescriptor.newBuilder(UTF8, UTF8)
      .fullMethodName("test.Text/Upper").build();
  private static final MethodDescriptor<String, String> BALANCE = MethodDescriptor.newBuilder(UTF8, UTF8)
      .type(MethodDescriptor.MethodType.BIDI_STREAMING).fullMethodName("test.Lb/Balance").build();

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
  private final TestBackend backend = TestBackend.newBuilder().name("lb")
      .method(UPPER, MethodHandler.unary(text -> {
        if (text.isEmpty()) {
          throw Status.INVALID_ARGUMENT.withDescription("empty").asException();
        }
        return text.toUpperCase(java.util.Locale.ROOT);
      }))
      .method(BALANCE, (call, headers) -> {
        events.add("start " + headers.get(Metadata.Key.of("x-client", Metadata.ASCII_STRING_MARSHALLER))
            .orElse("?"));
        // A balancer pushes a list from any thread, before any request too.
        new Thread(() -> call.sendMessage("list 0")).start();
        return new MethodHandler.RequestListener<>() {
          @Override
          public void onMessage(String request) {
            events.add("request " + request);
            call.sendMessage("list for " + request);
          }

          @Override
          public void onCancel() {
            cancelled.complete(null);
          }
        };
      })
      .build().start();
  private final ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + backend.port()).usePlaintext().build();

  @AfterEach
  void stop() {
    channel.shutdownNow();
    backend.close();
  }

  @Test
  void aUnaryMethodAnswersOrFailsWithItsStatus() {
    assertThat(ClientCalls.blockingUnaryCall(channel, UPPER, CallOptions.DEFAULT, "hi")).isEqualTo("HI");
    StatusException e = catchThrowableOfType(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, UPPER, CallOptions.DEFAULT, ""));
    assertThat(e.status().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.status().description()).contains("empty");
  }

  @Test
  void aStreamingMethodPushesResponsesAndHearsTheCancel() throws Exception {
    List<String> responses = new CopyOnWriteArrayList<>();
    ClientCall<String, String> call = channel.newCall(BALANCE, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)));
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-client", Metadata.ASCII_STRING_MARSHALLER), "c1");
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(String message) {
        responses.add(message);
      }
    }, headers);
    call.request(10);
    call.sendMessage("svc");
    Await.until("two responses", Duration.ofSeconds(10), () -> responses.size() == 2);
    assertThat(responses).containsExactlyInAnyOrder("list 0", "list for svc");
    assertThat(events).containsExactly("start c1", "request svc");

    call.cancel("done", null);
    cancelled.get(10, TimeUnit.SECONDS);
  }
}
