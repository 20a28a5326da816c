package dev.switchboard.channel.testing.backend.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.testing.backend.MethodHandler;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the services of one backend share: its name, whether it is serving, and how many calls
 * each method has been given.
 *
 * <p>Thread-safe.
 */
public final class BackendState {

  private final String name;
  private volatile boolean serving = true;
  private final LongAdder callsServed = new LongAdder();
  private final Map<String, LongAdder> callsByMethod = new ConcurrentHashMap<>();
  // Never mutated once published: readers get copies.
  private volatile Metadata lastRequestHeaders;

  private final Map<String, java.util.function.Supplier<ServedMethod>> registered;

  /** Creates the state of a serving backend called {@code name}, without registered methods. */
  public BackendState(String name) {
    this(name, Map.of());
  }

  /** Creates the state of a serving backend called {@code name}, serving {@code registered} too. */
  public BackendState(String name, Map<MethodDescriptor<?, ?>, MethodHandler<?, ?>> registered) {
    this.name = requireNonNull(name, "name");
    Map<String, java.util.function.Supplier<ServedMethod>> byName = new java.util.HashMap<>();
    registered.forEach((method, handler) -> byName.put(method.fullMethodName(), served(method, handler)));
    this.registered = Map.copyOf(byName);
  }

  @SuppressWarnings("unchecked") // the builder pairs each method with a handler of its types
  private static <ReqT, RespT> java.util.function.Supplier<ServedMethod> served(
      MethodDescriptor<ReqT, RespT> method, MethodHandler<?, ?> handler) {
    return () -> new RegisteredMethod<>(method, (MethodHandler<ReqT, RespT>) handler);
  }

  /** Returns a new call of the method a test registered as {@code fullMethodName}, or null. */
  ServedMethod registered(String fullMethodName) {
    var factory = registered.get(fullMethodName);
    return factory == null ? null : factory.get();
  }

  /** Returns the backend's name, which echo responses carry. */
  public String name() {
    return name;
  }

  /** Returns whether health checks answer SERVING. */
  public boolean isServing() {
    return serving;
  }

  /** Sets what health checks answer. */
  public void setServing(boolean serving) {
    this.serving = serving;
  }

  /** Counts a call to a method the backend serves, when its headers arrive, and keeps them. */
  void recordCall(String fullMethodName, Metadata headers) {
    lastRequestHeaders = headers;
    callsServed.increment();
    callsByMethod.computeIfAbsent(fullMethodName, k -> new LongAdder()).increment();
  }

  /** Returns the number of calls to served methods so far. */
  public long callsServed() {
    return callsServed.sum();
  }

  /** Returns a copy of the request headers of the last call to a served method, if any. */
  public Optional<Metadata> lastRequestHeaders() {
    Metadata last = lastRequestHeaders;
    if (last == null) {
      return Optional.empty();
    }
    Metadata copy = new Metadata();
    copy.merge(last);
    return Optional.of(copy);
  }

  /** Returns the number of calls to {@code fullMethodName} so far. */
  public long callsServed(String fullMethodName) {
    LongAdder n = callsByMethod.get(requireNonNull(fullMethodName, "fullMethodName"));
    return n == null ? 0 : n.sum();
  }
}
