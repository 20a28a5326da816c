package dev.switchboard.channel.testing.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.testing.backend.TestMethods.EchoRequest;
import dev.switchboard.channel.testing.backend.TestMethods.EchoResponse;
import dev.switchboard.channel.testing.backend.TestMethods.HealthStatus;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drives {@link TestBackend} with grpc-java's Netty client. */
class TestBackendTest {

  /** Fresh for each call: a deadline is a point in time. */
  private static CallOptions withDeadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private TestBackend started(String name, InetSocketAddress address) {
    TestBackend backend = TestBackend.newBuilder().name(name).address(address).build().start();
    toClose.add(backend);
    return backend;
  }

  private TestBackend started(String name) {
    return started(name, new InetSocketAddress("127.0.0.1", 0));
  }

  private ManagedChannel channelTo(TestBackend backend) {
    ManagedChannel channel = GrpcJava.plaintextChannel(backend);
    toClose.add(() -> GrpcJava.shutdown(channel));
    return channel;
  }

  private static EchoResponse echo(ManagedChannel channel, EchoRequest request) {
    return ClientCalls.blockingUnaryCall(
        channel, GrpcJava.descriptor(TestMethods.ECHO), withDeadline(), request);
  }

  private static HealthStatus check(ManagedChannel channel, String service) {
    return ClientCalls.blockingUnaryCall(
        channel, GrpcJava.descriptor(TestMethods.HEALTH_CHECK), withDeadline(), service);
  }

  @Test
  void healthCheckFollowsSetServing() {
    TestBackend backend = started("b1");
    ManagedChannel channel = channelTo(backend);

    assertThat(check(channel, "")).isEqualTo(HealthStatus.SERVING);
    assertThat(check(channel, TestMethods.ECHO_SERVICE)).isEqualTo(HealthStatus.SERVING);
    backend.setServing(false);
    assertThat(check(channel, "")).isEqualTo(HealthStatus.NOT_SERVING);
    assertThat(backend.callsServed(TestMethods.HEALTH_CHECK.fullMethodName())).isEqualTo(3);
  }

  @Test
  void healthCheckOfUnknownServiceIsNotFound() {
    ManagedChannel channel = channelTo(started("b1"));

    assertThatThrownBy(() -> check(channel, "no.such.Service"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).contains("no.such.Service");
        });
  }

  @Test
  void echoNamesTheBackendThatServedIt() {
    TestBackend b1 = started("b1", new InetSocketAddress("127.0.0.1", 0));
    TestBackend b2 = started("b2", new InetSocketAddress("127.0.0.2", 0));

    assertThat(echo(channelTo(b1), EchoRequest.of("hello"))).isEqualTo(new EchoResponse("hello", "b1"));
    assertThat(echo(channelTo(b2), EchoRequest.of("héllo ✓"))).isEqualTo(new EchoResponse("héllo ✓", "b2"));
    assertThat(b2.address().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(b1.callsServed()).isEqualTo(1);
    assertThat(b2.callsServed(TestMethods.ECHO.fullMethodName())).isEqualTo(1);
  }

  @Test
  void bidiEchoAnswersEveryRequestInOrder() throws Exception {
    ManagedChannel channel = channelTo(started("b1"));
    List<EchoResponse> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();

    StreamObserver<EchoRequest> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(GrpcJava.descriptor(TestMethods.ECHO_STREAM), withDeadline()),
        new StreamObserver<EchoResponse>() {
          @Override
          public void onNext(EchoResponse value) {
            responses.add(value);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    // The first answer waits longest: order must still follow the requests.
    requests.onNext(EchoRequest.of("one").withResponseDelayMs(100));
    requests.onNext(EchoRequest.of("two").withResponseDelayMs(20));
    requests.onNext(EchoRequest.of("three"));
    requests.onCompleted();

    done.get(10, TimeUnit.SECONDS);
    assertThat(responses).extracting(EchoResponse::message).containsExactly("one", "two", "three");
    assertThat(responses).extracting(EchoResponse::backend).containsOnly("b1");
  }

  @Test
  void unknownMethodIsUnimplemented() {
    ManagedChannel channel = channelTo(started("b1"));
    io.grpc.MethodDescriptor<EchoRequest, EchoResponse> unknown =
        GrpcJava.descriptor(TestMethods.ECHO).toBuilder()
            .setFullMethodName("switchboard.testing.Echo/NoSuchMethod")
            .build();

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, unknown, withDeadline(), EchoRequest.of("x")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED);
          assertThat(e.getStatus().getDescription()).contains("switchboard.testing.Echo/NoSuchMethod");
        });
  }

  @Test
  void failWithCodeEndsTheCallWithThatStatus() {
    ManagedChannel channel = channelTo(started("b1"));

    assertThatThrownBy(() -> echo(channel, EchoRequest.of("x").withFailWithCode(Status.Code.ABORTED)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.ABORTED);
          assertThat(e.getStatus().getDescription()).contains("fail_with_code 10");
        });
  }

  @Test
  void stoppedBackendComesBackOnTheSamePort() throws Exception {
    TestBackend backend = started("b1");
    int port = backend.port();
    ManagedChannel channel = channelTo(backend);
    assertThat(echo(channel, EchoRequest.of("before")).backend()).isEqualTo("b1");

    backend.stop();
    assertThat(backend.isRunning()).isFalse();
    // A call racing grpc-java's discovery of the closed socket fails UNKNOWN "channel closed" in
    // grpc-java; once it has noticed, calls fail UNAVAILABLE on the refused reconnection.
    awaitTrue(() -> channel.getState(false) != io.grpc.ConnectivityState.READY, Duration.ofSeconds(10));
    assertThatThrownBy(() -> echo(channel, EchoRequest.of("while stopped")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));

    backend.start();
    assertThat(backend.port()).isEqualTo(port);
    channel.resetConnectBackoff();
    EchoResponse after = ClientCalls.blockingUnaryCall(channel, GrpcJava.descriptor(TestMethods.ECHO),
        withDeadline().withWaitForReady(), EchoRequest.of("after"));
    assertThat(after).isEqualTo(new EchoResponse("after", "b1"));
  }

  @Test
  void gracefulShutdownLetsTheCallInFlightFinish() throws Exception {
    TestBackend backend = started("b1");
    ManagedChannel channel = channelTo(backend);
    CompletableFuture<EchoResponse> inFlight = CompletableFuture.supplyAsync(
        () -> echo(channel, EchoRequest.of("slow").withResponseDelayMs(1500)));
    awaitTrue(() -> backend.callsServed() == 1, Duration.ofSeconds(10));

    CompletableFuture<Void> shutdown = backend.shutdownGracefully();

    // Once the client has seen GOAWAY it opens no stream on the connection, and the listener is
    // closed: new calls are turned away while the slow one is still running.
    awaitTrue(() -> channel.getState(false) != io.grpc.ConnectivityState.READY, Duration.ofSeconds(10));
    assertThatThrownBy(() -> echo(channel, EchoRequest.of("after GOAWAY")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    assertThat(inFlight).isNotDone();
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(new EchoResponse("slow", "b1"));
    shutdown.get(10, TimeUnit.SECONDS);
    assertThat(backend.isRunning()).isFalse();
    assertThat(backend.callsServed()).isEqualTo(1);
  }

  @Test
  void gracefulShutdownFinishesEveryCallItAccepted() throws Exception {
    TestBackend backend = started("b1");
    ManagedChannel channel = channelTo(backend);
    List<java.util.concurrent.Future<EchoResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(ClientCalls.futureUnaryCall(
          channel.newCall(GrpcJava.descriptor(TestMethods.ECHO), withDeadline()),
          EchoRequest.of("call " + i).withResponseDelayMs(100)));
      if (i == 20) {
        awaitTrue(() -> backend.callsServed() > 0, Duration.ofSeconds(10));
        backend.shutdownGracefully();
      }
    }

    int ok = 0;
    List<String> failures = new ArrayList<>();
    for (java.util.concurrent.Future<EchoResponse> call : calls) {
      try {
        call.get(10, TimeUnit.SECONDS);
        ok++;
      } catch (java.util.concurrent.ExecutionException e) {
        failures.add(String.valueOf(e.getCause()));
        // Calls the server never took are refused, never left half-done.
        assertThat(io.grpc.Status.fromThrowable(e.getCause()).getCode())
            .as("%s", e.getCause()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
      }
    }
    assertThat(ok).as("%s", failures).isEqualTo(backend.callsServed()).isPositive();
  }

  @Test
  void lastRequestHeadersShowWhatTheClientSent() {
    TestBackend backend = started("b1");
    assertThat(backend.lastRequestHeaders()).isEmpty();
    io.grpc.Metadata extra = new io.grpc.Metadata();
    extra.put(io.grpc.Metadata.Key.of("lb-token", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "t-1");
    extra.put(io.grpc.Metadata.Key.of("trace-bin", io.grpc.Metadata.BINARY_BYTE_MARSHALLER), new byte[] {0, 1, (byte) 0xff});
    ManagedChannel channel = channelTo(backend);

    ClientCalls.blockingUnaryCall(
        io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(extra)),
        GrpcJava.descriptor(TestMethods.ECHO), withDeadline(), EchoRequest.of("x"));

    dev.switchboard.channel.api.Metadata seen = backend.lastRequestHeaders().orElseThrow();
    assertThat(seen.get(dev.switchboard.channel.api.Metadata.Key.of(
        "lb-token", dev.switchboard.channel.api.Metadata.ASCII_STRING_MARSHALLER))).contains("t-1");
    assertThat(seen.get(dev.switchboard.channel.api.Metadata.Key.of(
        "trace-bin", dev.switchboard.channel.api.Metadata.BINARY_BYTE_MARSHALLER)))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(0, 1, 0xff));
    assertThat(seen.keys()).contains("content-type").noneMatch(k -> k.startsWith(":"));
  }

  @Test
  void largeMessagesPassFlowControlBothWays() {
    ManagedChannel channel = channelTo(started("b1"));
    String big = "x".repeat(1 << 20);

    assertThat(echo(channel, EchoRequest.of(big)).message()).isEqualTo(big);
  }

  @Test
  void tlsBackendServesOverAlpnH2() throws Exception {
    Path tls = Path.of("src", "test", "resources", "tls");
    TestBackend backend = TestBackend.newBuilder()
        .name("secure")
        .tls(tls.resolve("server.pem"), tls.resolve("server.key"))
        .build()
        .start();
    toClose.add(backend);
    ManagedChannel channel = NettyChannelBuilder.forAddress(backend.address())
        .sslContext(GrpcSslContexts.forClient().trustManager(tls.resolve("server.pem").toFile()).build())
        .build();
    toClose.add(() -> GrpcJava.shutdown(channel));

    assertThat(backend.isTls()).isTrue();
    assertThat(echo(channel, EchoRequest.of("hi"))).isEqualTo(new EchoResponse("hi", "secure"));
  }

  @Test
  void unusableTlsKeyIsRefusedAtBuild() {
    Path missing = Path.of("no-such-dir", "server.key");

    assertThatThrownBy(() -> TestBackend.newBuilder().tls(missing, missing).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-dir");
  }

  @Test
  void startingTwiceIsRefused() {
    TestBackend backend = started("b1");

    assertThatThrownBy(backend::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("b1");
  }

  @Test
  void marshallersRoundTripEveryField() throws Exception {
    EchoRequest request = new EchoRequest("m", 1500, 16);
    try (InputStream in = TestMethods.ECHO.streamRequest(request)) {
      assertThat(TestMethods.ECHO.requestMarshaller().parse(in)).isEqualTo(request);
    }
    // proto3 leaves default values out: an empty message is the default request.
    assertThat(TestMethods.ECHO.requestMarshaller().parse(new ByteArrayInputStream(new byte[0])))
        .isEqualTo(EchoRequest.of(""));
    try (InputStream in = TestMethods.HEALTH_CHECK.responseMarshaller().stream(HealthStatus.NOT_SERVING)) {
      assertThat(TestMethods.HEALTH_CHECK.parseResponse(in)).isEqualTo(HealthStatus.NOT_SERVING);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(5);
    }
  }
}
