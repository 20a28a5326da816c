package dev.switchboard.channel.core;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.internal.builtin.PassthroughResolverProvider;
import dev.switchboard.channel.core.internal.builtin.PickFirstBalancerProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Shared pieces of the channel tests: a string method, a test resolver, a call recorder. */
final class TestSupport {
  private TestSupport() {}

  static final MethodDescriptor.Marshaller<String> STRING =
      new MethodDescriptor.Marshaller<>() {
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

  static final MethodDescriptor<String, String> UNARY =
      MethodDescriptor.newBuilder(STRING, STRING)
          .type(MethodDescriptor.MethodType.UNARY)
          .fullMethodName("test.Echo/Unary")
          .build();

  static PluginRegistry builtinsOnly() {
    return PluginRegistry.newBuilder()
        .addResolverProvider(new PassthroughResolverProvider())
        .addBalancerProvider(new PickFirstBalancerProvider())
        .build();
  }

  static List<Address> addresses(SocketAddress... socketAddresses) {
    List<Address> list = new ArrayList<>();
    for (SocketAddress a : socketAddresses) {
      list.add(Address.of(a));
    }
    return list;
  }

  static ResolverState state(SocketAddress... socketAddresses) {
    return ResolverState.newBuilder().addresses(addresses(socketAddresses)).build();
  }

  /** Starts a unary call and returns its recorder. */
  static CallRecorder startUnary(ManagedChannel channel, String request, CallOptions options) {
    CallRecorder recorder = new CallRecorder();
    ClientCall<String, String> call = channel.newCall(UNARY, options);
    recorder.call = call;
    call.start(recorder, new Metadata());
    call.request(2);
    call.sendMessage(request);
    call.halfClose();
    return recorder;
  }

  /** Records a call's events. */
  static final class CallRecorder extends ClientCall.Listener<String> {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    final AtomicInteger closeCount = new AtomicInteger();
    volatile ClientCall<String, String> call;

    @Override
    public void onMessage(String message) {
      if (closed.isDone()) {
        throw new AssertionError("onMessage after onClose");
      }
      messages.add(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      closeCount.incrementAndGet();
      closed.complete(status);
    }

    Status awaitClose() {
      try {
        return closed.get(10, TimeUnit.SECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        throw new AssertionError("call did not close", e);
      }
    }

    boolean isClosed() {
      return closed.isDone();
    }
  }

  /**
   * A resolver the test drives: it keeps the {@link ClientConn} of each instance, counts
   * {@code resolveNow()} and can act inline from {@code newResolver} and {@code resolveNow}.
   */
  static final class TestResolverProvider implements ResolverProvider {
    final List<TestResolver> resolvers = new CopyOnWriteArrayList<>();
    volatile Consumer<ClientConn> onStart = conn -> {};
    volatile Consumer<ClientConn> onResolveNow = conn -> {};

    @Override
    public String scheme() {
      return "test";
    }

    @Override
    public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
      TestResolver resolver = new TestResolver(clientConn);
      resolvers.add(resolver);
      onStart.accept(clientConn);
      return resolver;
    }

    TestResolver awaitResolver() {
      Await.until("resolver created", () -> !resolvers.isEmpty());
      return resolvers.get(0);
    }

    final class TestResolver implements Resolver {
      final ClientConn conn;
      final AtomicInteger resolveNowCount = new AtomicInteger();
      volatile boolean closed;

      TestResolver(ClientConn conn) {
        this.conn = conn;
      }

      @Override
      public void resolveNow() {
        resolveNowCount.incrementAndGet();
        onResolveNow.accept(conn);
      }

      @Override
      public void close() {
        closed = true;
      }
    }
  }
}
