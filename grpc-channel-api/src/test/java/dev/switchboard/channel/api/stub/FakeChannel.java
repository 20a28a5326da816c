package dev.switchboard.channel.api.stub;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.MethodDescriptor.MethodType;
import dev.switchboard.channel.api.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A channel whose calls record what the stubs do and let a test play the server: events reach the
 * listener through the call's executor, as a real channel delivers them.
 */
final class FakeChannel implements Channel {

  static final MethodDescriptor.Marshaller<String> STRING = new MethodDescriptor.Marshaller<>() {
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

  static MethodDescriptor<String, String> method(MethodType type) {
    return MethodDescriptor.newBuilder(STRING, STRING).type(type).fullMethodName("test.Fake/" + type).build();
  }

  final List<Call> calls = new CopyOnWriteArrayList<>();
  /** Runs on the thread that creates each call, before it is returned. */
  volatile Consumer<Call> onNewCall = call -> {};

  @Override
  @SuppressWarnings("unchecked")
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    Call call = new Call(callOptions);
    calls.add(call);
    onNewCall.accept(call);
    return (ClientCall<ReqT, RespT>) call;
  }

  @Override
  public String authority() {
    return "fake";
  }

  Call lastCall() {
    return calls.get(calls.size() - 1);
  }

  /** One call of String to String; the test plays its server. */
  static final class Call extends ClientCall<String, String> {
    final CallOptions options;
    final Executor executor;
    final List<Integer> requests = new CopyOnWriteArrayList<>();
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<Thread> callbackThreads = new CopyOnWriteArrayList<>();
    volatile Listener<String> listener;
    volatile Metadata headers;
    volatile boolean halfClosed;
    volatile boolean cancelled;
    volatile Throwable cancelCause;
    volatile boolean ready = true;
    volatile boolean closed;
    /** The server's reaction to a half-close, run where halfClose() is called. */
    volatile Runnable onHalfClose = () -> {};
    /** The server's reaction to a request, run where request() is called. */
    volatile Consumer<Integer> onRequest = n -> {};
    /** The transport's reaction to a sent message. */
    volatile Consumer<String> onSend = m -> {};
    /** What {@link #attributes()} returns: the connection the test says the call is on. */
    volatile Attributes attributes = Attributes.EMPTY;

    Call(CallOptions options) {
      this.options = options;
      this.executor = options.executor().orElse(Runnable::run);
    }

    // The server's side.

    void respond(String message) {
      deliver(() -> listener.onMessage(message));
    }

    void close(Status status, Metadata trailers) {
      deliver(() -> {
        if (!closed) {
          closed = true;
          listener.onClose(status, trailers);
        }
      });
    }

    void becomeReady() {
      ready = true;
      deliver(() -> listener.onReady());
    }

    private void deliver(Runnable event) {
      executor.execute(() -> {
        callbackThreads.add(Thread.currentThread());
        event.run();
      });
    }

    // The client's side.

    @Override
    public void start(Listener<String> listener, Metadata headers) {
      this.listener = listener;
      this.headers = headers;
    }

    @Override
    public void request(int numMessages) {
      requests.add(numMessages);
      onRequest.accept(numMessages);
    }

    @Override
    public void cancel(String message, Throwable cause) {
      cancelled = true;
      cancelCause = cause;
      close(Status.CANCELLED.withDescription(message).withCause(cause), new Metadata());
    }

    @Override
    public void halfClose() {
      halfClosed = true;
      onHalfClose.run();
    }

    @Override
    public void sendMessage(String message) {
      sent.add(message);
      onSend.accept(message);
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public Attributes attributes() {
      return attributes;
    }
  }
}
