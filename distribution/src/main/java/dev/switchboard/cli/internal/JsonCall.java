package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.Channel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCallStreamObserver;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.api.stub.ClientResponseObserver;
import dev.switchboard.channel.protobuf.ProtoMarshallers;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One call of any method with JSON, as grpcurl makes it: the method's types come from a
 * {@link DescriptorSource}, the requests are read from JSON ({@link JsonRequests}) into
 * {@link DynamicMessage}s, sent with protobuf marshallers ({@link ProtoMarshallers}), and every
 * response is printed as one line of JSON ({@link JsonFormat}, fields with default values left
 * out, as protobuf's JSON mapping does by default).
 *
 * <p>Unary and server-streaming methods take exactly one request; client- and bidi-streaming
 * methods take any number, each sent as soon as it is read and the call is ready for it (so a
 * large input is read no faster than the server takes it), while responses are printed as they
 * come. Without any input the call sends one empty request ({@code {}}), as grpcurl does.
 *
 * <p>A call that ends with a status other than OK is one line naming the target, the method and
 * the status, after the responses that came before it.
 *
 * <p>Not thread-safe: one call, run on the command's thread; responses of streaming calls are
 * printed from the call's callbacks, one whole line at a time.
 */
final class JsonCall {
  private final Channel channel;
  private final String target;
  private final PrintStream out;

  /**
   * @param target the channel's target, as errors name it
   * @param out where the responses go, one JSON object per line
   */
  JsonCall(Channel channel, String target, PrintStream out) {
    this.channel = requireNonNull(channel, "channel");
    this.target = requireNonNull(target, "target");
    this.out = requireNonNull(out, "out");
  }

  /**
   * Calls {@code service/method}, its types found in {@code types}, with the requests of
   * {@code requests} (empty: one empty request).
   *
   * @param requestSource names the requests' input in errors ({@code --data}, {@code stdin})
   * @param deadline the deadline of the call, from its start
   */
  void run(DescriptorSource types, String service, String method, Optional<Reader> requests,
      String requestSource, Duration deadline) throws CliException, InterruptedException {
    Descriptors.MethodDescriptor m = DescriptorSource.method(types.service(service), method);
    JsonFormat.TypeRegistry registry = JsonFormat.TypeRegistry.newBuilder()
        .add(DescriptorSource.anyTypes(types.files())).build();
    JsonRequests input = new JsonRequests(requestSource, requests.orElseGet(() -> new StringReader("{}")),
        JsonFormat.parser().usingTypeRegistry(registry));
    JsonFormat.Printer printer = JsonFormat.printer().usingTypeRegistry(registry)
        .omittingInsignificantWhitespace();
    MethodDescriptor<DynamicMessage, DynamicMessage> descriptor = MethodDescriptor
        .newBuilder(ProtoMarshallers.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())),
            ProtoMarshallers.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
        .type(typeOf(m))
        .fullMethodName(MethodDescriptor.fullMethodName(m.getService().getFullName(), m.getName()))
        .build();
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadline);
    Printer print = new Printer(printer, descriptor.fullMethodName());
    if (descriptor.type().clientSendsOneMessage()) {
      DynamicMessage request = input.next(m.getInputType())
          .orElseThrow(() -> CliException.usage(requestSource + ": holds no JSON object (expected"
              + " one request of " + m.getInputType().getFullName() + ")"));
      if (input.next(m.getInputType()).isPresent()) {
        throw CliException.usage(requestSource + ": holds more than one JSON object (" + descriptor
            .fullMethodName() + " is " + kind(m) + ": it takes one request)");
      }
      callWithOneRequest(descriptor, options, request, print);
    } else {
      callWithRequestStream(descriptor, options, input, m.getInputType(), print);
    }
  }

  /** Returns the method's kind as {@code describe} and errors name it. */
  static String kind(Descriptors.MethodDescriptor m) {
    return switch (typeOf(m)) {
      case UNARY -> "unary";
      case SERVER_STREAMING -> "server streaming";
      case CLIENT_STREAMING -> "client streaming";
      default -> "bidi streaming";
    };
  }

  static MethodDescriptor.MethodType typeOf(Descriptors.MethodDescriptor m) {
    if (m.isClientStreaming()) {
      return m.isServerStreaming() ? MethodDescriptor.MethodType.BIDI_STREAMING
          : MethodDescriptor.MethodType.CLIENT_STREAMING;
    }
    return m.isServerStreaming() ? MethodDescriptor.MethodType.SERVER_STREAMING
        : MethodDescriptor.MethodType.UNARY;
  }

  private void callWithOneRequest(MethodDescriptor<DynamicMessage, DynamicMessage> descriptor,
      CallOptions options, DynamicMessage request, Printer print)
      throws CliException, InterruptedException {
    try {
      if (descriptor.type() == MethodDescriptor.MethodType.UNARY) {
        print.print(ClientCalls.blockingUnaryCall(channel, descriptor, options, request));
      } else {
        Iterator<DynamicMessage> responses =
            ClientCalls.blockingServerStreamingCall(channel, descriptor, options, request);
        while (responses.hasNext()) {
          print.print(responses.next());
        }
      }
    } catch (StatusException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("call interrupted");
      }
      throw failed(descriptor, e.status());
    }
  }

  private void callWithRequestStream(MethodDescriptor<DynamicMessage, DynamicMessage> descriptor,
      CallOptions options, JsonRequests input, Descriptors.Descriptor requestType, Printer print)
      throws CliException, InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicReference<CliException> unprintable = new AtomicReference<>();
    // Flow control: the next request is sent once the call is ready for it (onReady), so a large
    // input is read as fast as the server takes it, not buffered in memory.
    Object ready = new Object();
    Runnable wake = () -> {
      synchronized (ready) {
        ready.notifyAll();
      }
    };
    done.whenComplete((v, t) -> wake.run());
    ClientResponseObserver<DynamicMessage, DynamicMessage> responses = new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<DynamicMessage> requestStream) {
        requestStream.setOnReadyHandler(wake);
      }

      @Override
      public void onNext(DynamicMessage value) {
        try {
          print.print(value);
        } catch (CliException e) {
          // Thrown to the call, which cancels itself and then calls onError.
          unprintable.compareAndSet(null, e);
          throw new IllegalStateException(e.getMessage());
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    };
    ClientCallStreamObserver<DynamicMessage> requests =
        descriptor.type() == MethodDescriptor.MethodType.CLIENT_STREAMING
            ? ClientCalls.clientStreamingCall(channel, descriptor, options, responses)
            : ClientCalls.bidiStreamingCall(channel, descriptor, options, responses);
    try {
      Optional<DynamicMessage> next;
      while (!done.isDone() && (next = input.next(requestType)).isPresent()) {
        synchronized (ready) {
          while (!requests.isReady() && !done.isDone()) {
            ready.wait();
          }
        }
        requests.onNext(next.get());
      }
      requests.onCompleted();
    } catch (CliException e) {
      requests.cancel(e.getMessage(), null);
      throw e;
    } catch (InterruptedException e) {
      requests.cancel("interrupted", e);
      throw e;
    }
    try {
      done.get();
    } catch (InterruptedException e) {
      requests.cancel("interrupted", e);
      throw e;
    } catch (ExecutionException e) {
      if (unprintable.get() != null) {
        throw unprintable.get();
      }
      throw failed(descriptor, Status.fromThrowable(e.getCause()));
    }
  }

  private CliException failed(MethodDescriptor<?, ?> descriptor, Status status) {
    return CliException.failure(target + ": " + descriptor.fullMethodName() + ": " + status.code()
        + status.description().map(d -> ": " + d.lines().findFirst().orElse("")).orElse(""));
  }

  /** Prints responses, one line of JSON each. */
  private final class Printer {
    private final JsonFormat.Printer json;
    private final String method;
    private int count;

    Printer(JsonFormat.Printer json, String method) {
      this.json = json;
      this.method = method;
    }

    void print(DynamicMessage response) throws CliException {
      count++;
      String line;
      try {
        line = json.print(response);
      } catch (InvalidProtocolBufferException e) {
        throw CliException.failure(target + ": " + method + ": response #" + count
            + " cannot be printed as JSON: " + e.getMessage());
      }
      out.println(line);
      out.flush();
    }
  }
}
