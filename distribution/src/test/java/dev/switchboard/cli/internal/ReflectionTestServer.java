package dev.switchboard.cli.internal;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.testing.integration.Test;
import io.grpc.testing.integration.TestServiceImpl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * grpc-java's interop {@code TestService} ({@code TestServiceImpl}) on a real grpc-java Netty server
 * on 127.0.0.1, with grpc-java's server reflection as {@code grpc.reflection.v1}
 * ({@code ProtoReflectionServiceV1}), only as the older {@code grpc.reflection.v1alpha}
 * ({@code ProtoReflectionService}), or none; it counts the calls of each method it receives.
 *
 * <p>Thread-safe.
 */
final class ReflectionTestServer implements AutoCloseable {

  /** Which server reflection the server offers. */
  enum Reflection { V1, V1ALPHA, NONE }

  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "reflection-test-server");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Server server;

  @SuppressWarnings("deprecation") // ProtoReflectionService: the v1alpha service, on purpose
  ReflectionTestServer(Reflection reflection) {
    ServerInterceptor counter = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        calls.computeIfAbsent(call.getMethodDescriptor().getFullMethodName(), m -> new AtomicInteger())
            .incrementAndGet();
        synchronized (calls) {
          calls.notifyAll();
        }
        return next.startCall(call, headers);
      }
    };
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(
            ServerInterceptors.intercept(new TestServiceImpl(executor), TestServiceImpl.interceptors()),
            counter));
    BindableService service = switch (reflection) {
      case V1 -> ProtoReflectionServiceV1.newInstance();
      case V1ALPHA -> ProtoReflectionService.newInstance();
      case NONE -> null;
    };
    if (service != null) {
      b.addService(ServerInterceptors.intercept(service, counter));
    }
    try {
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns {@code 127.0.0.1:port}, a target for {@code --plaintext}. */
  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /**
   * Waits until the server has received {@code count} calls of {@code fullMethodName}: it counts a
   * call on its own executor, which may run after the client saw the call end (a cancelled one).
   *
   * @throws AssertionError if that many have not come within {@code timeout}
   */
  void awaitCalls(String fullMethodName, int count, java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (calls) {
      while (calls(fullMethodName) < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(fullMethodName + ": " + calls(fullMethodName) + " calls within " + timeout
              + " (expected: " + count + ")");
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(calls, left);
      }
    }
  }

  /** Returns how many calls of {@code fullMethodName} the server received. */
  int calls(String fullMethodName) {
    AtomicInteger n = calls.get(fullMethodName);
    return n == null ? 0 : n.get();
  }

  /**
   * Writes the descriptor set of the interop {@code grpc/testing/test.proto} to {@code file}, with
   * its imports ({@code protoc --include_imports}) or without them.
   */
  static Path writeProtoset(Path file, boolean includeImports) throws IOException {
    Map<String, FileDescriptorProto> files = new LinkedHashMap<>();
    collect(Test.getDescriptor(), includeImports, files);
    Files.write(file, FileDescriptorSet.newBuilder().addAllFile(files.values()).build().toByteArray());
    return file;
  }

  private static void collect(FileDescriptor f, boolean imports, Map<String, FileDescriptorProto> out) {
    if (imports) {
      for (FileDescriptor d : f.getDependencies()) {
        collect(d, true, out);
      }
    }
    out.putIfAbsent(f.getName(), f.toProto());
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    executor.shutdownNow();
  }
}
