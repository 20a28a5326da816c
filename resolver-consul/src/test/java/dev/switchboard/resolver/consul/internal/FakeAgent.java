package dev.switchboard.resolver.consul.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An HTTP server on 127.0.0.1 that answers what the test tells it to: the faults a real Consul
 * agent does not produce on demand (a 5xx, a hung answer, index 0, a garbage body, no index
 * header). The real-agent tests stay beside these, not replaced by them.
 */
final class FakeAgent implements AutoCloseable {

  /** One answer. Immutable. */
  static final class Answer {
    final int status;
    final String index;
    final String body;
    final boolean hang;
    final boolean close;

    private Answer(int status, String index, String body, boolean hang, boolean close) {
      this.status = status;
      this.index = index;
      this.body = body;
      this.hang = hang;
      this.close = close;
    }

    static Answer of(int status, String index, String body) {
      return new Answer(status, index, body, false, false);
    }

    /** Never answers (until the server closes). */
    static Answer hang() {
      return new Answer(0, null, null, true, false);
    }

    /** Closes the connection without an answer, as an agent over its connection limit does. */
    static Answer close() {
      return new Answer(0, null, null, false, true);
    }
  }

  /** Instances of {@code service} at 127.0.0.1 with these ports, all passing, as Consul answers. */
  static String healthBody(String service, int... ports) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < ports.length; i++) {
      out.append(i == 0 ? "" : ",").append("{\"Node\":{\"Node\":\"n1\",\"Address\":\"127.0.0.1\",\"Datacenter\":\"dc1\"},")
          .append("\"Service\":{\"ID\":\"").append(service).append('-').append(ports[i])
          .append("\",\"Service\":\"").append(service).append("\",\"Address\":\"\",\"Port\":").append(ports[i])
          .append(",\"Weights\":{\"Passing\":1,\"Warning\":1}},\"Checks\":[{\"Status\":\"passing\"}]}");
    }
    return out.append("]").toString();
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<URI> requests = new CopyOnWriteArrayList<>();
  private volatile Function<URI, Answer> answers;

  FakeAgent(Function<URI, Answer> answers) throws IOException {
    this.answers = answers;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  void answer(Function<URI, Answer> answers) {
    this.answers = answers;
  }

  /** Returns the requests so far, in order. */
  List<URI> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestURI());
    Answer answer = answers.apply(exchange.getRequestURI());
    if (answer.close) {
      exchange.close();
      return;
    }
    if (answer.hang) {
      try {
        closing.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    if (answer.index != null) {
      exchange.getResponseHeaders().add("X-Consul-Index", answer.index);
    }
    byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
