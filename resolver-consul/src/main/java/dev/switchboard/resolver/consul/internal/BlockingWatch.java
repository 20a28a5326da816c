package dev.switchboard.resolver.consul.internal;

import com.ecwid.consul.UrlParameters;
import com.ecwid.consul.transport.HttpResponse;
import com.ecwid.consul.transport.TransportException;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.QueryParams;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.http.NoHttpResponseException;
import org.apache.http.impl.client.CloseableHttpClient;

/**
 * One long poll of one Consul endpoint by Consul's blocking-query rules, shared by every resolver
 * that watches the same thing (reference-counted), on a thread of its own.
 *
 * <p>The rules (Consul's "Blocking Queries"): each query sends the last {@code X-Consul-Index} as
 * {@code index} with {@code wait}; a return is no guarantee of change (an unchanged body is not
 * passed on); an index that goes backwards (the agent restarted) resets it to 0, and an index below
 * 1 is used as 1, and after a failed query the next one reads afresh (index 0: an agent that
 * restarted meanwhile has a lower index, and a query with ours would block for the whole wait);
 * queries start at least {@link #MIN_QUERY_INTERVAL_MILLIS} ms apart. A failed query (no
 * connection, an HTTP error, no answer within the read timeout, a body that is not JSON, no
 * {@code X-Consul-Index}) is passed on as a {@link Status} naming the agent and what it answered,
 * and retried with exponential backoff ({@link #FIRST_BACKOFF} doubling up to {@link
 * #MAX_BACKOFF}, jittered ±20%); listeners keep what they had.
 *
 * <p>Thread-safe. Listeners are called on the watch's thread, one result at a time.
 */
final class BlockingWatch {

  static final long MIN_QUERY_INTERVAL_MILLIS = 100;
  static final long FIRST_BACKOFF = TimeUnit.SECONDS.toMillis(1);
  static final long MAX_BACKOFF = TimeUnit.SECONDS.toMillis(30);

  /** One query's outcome: a body (none when the key does not exist) or an error. Immutable. */
  static final class Result {
    private final String text;
    private final JsonElement parsed;
    private final Status error;

    private Result(String text, JsonElement parsed, Status error) {
      this.text = text;
      this.parsed = parsed;
      this.error = error;
    }

    /** Returns the body, empty for a 404 of an endpoint where that means "none". */
    Optional<JsonElement> body() {
      if (text == null) {
        return Optional.empty();
      }
      return Optional.of(parsed != null ? parsed : JsonParser.parseString(text));
    }

    /** Returns the error; empty when the query succeeded. */
    Optional<Status> error() {
      return Optional.ofNullable(error);
    }

    /** The same result holding the text alone: a parsed tree is about five times its size. */
    Result withoutTree() {
      return parsed == null ? this : new Result(text, null, error);
    }
  }

  /** What a watch watches: the agent, the endpoint, its parameters. */
  static final class Key {
    final ConsulAgent agent;
    final String endpoint;
    final List<String> parameters;
    final boolean notFoundIsEmpty;

    Key(ConsulAgent agent, String endpoint, List<String> parameters, boolean notFoundIsEmpty) {
      this.agent = agent;
      this.endpoint = endpoint;
      this.parameters = List.copyOf(parameters);
      this.notFoundIsEmpty = notFoundIsEmpty;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).agent.equals(agent) && ((Key) o).endpoint.equals(endpoint)
          && ((Key) o).parameters.equals(parameters) && ((Key) o).notFoundIsEmpty == notFoundIsEmpty;
    }

    @Override
    public int hashCode() {
      return Objects.hash(agent, endpoint, parameters, notFoundIsEmpty);
    }

    @Override
    public String toString() {
      return agent + endpoint + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
    }
  }

  private static final Map<Key, BlockingWatch> WATCHES = new HashMap<>();

  private final Key key;
  private final List<Consumer<Result>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  // Guarded by lock.
  private Result last;
  private int users;
  private volatile boolean closed;
  private CloseableHttpClient http;
  private Thread thread;
  private long queries;

  private BlockingWatch(Key key) {
    this.key = key;
  }

  /**
   * Adds {@code listener} to the watch of {@code key}, starting the watch if it is new; the
   * listener gets the last result at once if there is one. Returns how to remove it.
   */
  static Runnable subscribe(Key key, Consumer<Result> listener) {
    BlockingWatch watch;
    boolean start = false;
    synchronized (WATCHES) {
      watch = WATCHES.get(key);
      if (watch == null) {
        watch = new BlockingWatch(key);
        WATCHES.put(key, watch);
        start = true;
      }
      watch.users++;
    }
    Result last;
    synchronized (watch.lock) {
      watch.listeners.add(listener);
      last = watch.last;
    }
    if (start) {
      watch.start();
    } else if (last != null) {
      listener.accept(last);
    }
    BlockingWatch subscribed = watch;
    return () -> subscribed.unsubscribe(listener);
  }

  private void unsubscribe(Consumer<Result> listener) {
    synchronized (lock) {
      if (!listeners.remove(listener)) {
        return;
      }
    }
    synchronized (WATCHES) {
      if (--users > 0) {
        return;
      }
      WATCHES.remove(key);
    }
    close();
  }

  private void start() {
    Thread t = new Thread(this::run, "switchboard-consul-watch");
    t.setDaemon(true);
    synchronized (lock) {
      thread = t;
    }
    t.start();
  }

  private void close() {
    closed = true;
    CloseableHttpClient client;
    Thread t;
    synchronized (lock) {
      client = http;
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
    if (client != null) {
      // Closing the client ends a long poll in flight. Over HTTPS the JDK's SSLSocket.close() first
      // reads what the agent still sends, for up to the poll's read timeout (minutes) while the
      // watch thread reads too: so it runs on a daemon thread of its own, never on the caller's
      // (the channel's synchronization context, or a CLI about to exit).
      Thread closer = new Thread(() -> {
        try {
          client.close();
        } catch (IOException e) {
          // closing anyway
        }
      }, "switchboard-consul-watch-close");
      closer.setDaemon(true);
      closer.start();
    }
  }

  private void run() {
    long index = 0;
    long backoff = FIRST_BACKOFF;
    long lastStart = 0;
    String lastText = null;
    boolean delivered = false;
    ConsulRawClient raw;
    try {
      CloseableHttpClient client = key.agent.newHttpClient();
      synchronized (lock) {
        http = client;
      }
      if (closed) {
        client.close();
        return;
      }
      raw = ConsulRawClient.Builder.builder().setHost(key.agent.schemeAndHost()).setPort(key.agent.port())
          .setHttpClient(client).build();
    } catch (IOException | RuntimeException e) {
      deliver(new Result(null, null, Status.UNAVAILABLE.withDescription("consul agent " + key.agent + ": "
          + ErrorText.cut(String.valueOf(e.getMessage())))));
      return;
    }
    while (!closed) {
      try {
        long sinceLast = System.nanoTime() - lastStart;
        long pause = MIN_QUERY_INTERVAL_MILLIS - TimeUnit.NANOSECONDS.toMillis(sinceLast);
        if (lastStart != 0 && pause > 0) {
          Thread.sleep(pause);
        }
        lastStart = System.nanoTime();
        synchronized (lock) {
          queries++;
        }
        HttpResponse response = raw.makeGetRequest(key.endpoint, parameters(index));
        Outcome outcome = read(response);
        if (outcome.error != null) {
          throw new QueryFailed(outcome.error);
        }
        long newIndex = Math.max(1, outcome.index); // an index below 1 is taken as 1
        index = newIndex < index ? 0 : newIndex; // backwards: the agent restarted, read afresh
        backoff = FIRST_BACKOFF;
        if (!delivered || !Objects.equals(lastText, outcome.text)) {
          delivered = true;
          lastText = outcome.text;
          deliver(new Result(outcome.text, outcome.body, null));
        }
      } catch (InterruptedException e) {
        return; // closed
      } catch (QueryFailed | RuntimeException e) {
        if (closed) {
          return;
        }
        deliver(new Result(null, null, failure(e)));
        // The agent may come back restarted, its index below ours: a blocking query with ours would
        // wait out the whole wait before showing it. Read afresh (index 0) after any failure.
        index = 0;
        long jittered = (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        backoff = Math.min(MAX_BACKOFF, backoff * 2);
        try {
          Thread.sleep(jittered);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private List<UrlParameters> parameters(long index) {
    List<UrlParameters> parameters = new ArrayList<>();
    for (String parameter : key.parameters) {
      parameters.add(() -> List.of(parameter));
    }
    long waitSeconds = Math.max(1, key.agent.waitTime().toSeconds());
    parameters.add(new QueryParams(waitSeconds, index > 0 ? index : -1));
    return parameters;
  }

  private static final class Outcome {
    final String text;
    final JsonElement body;
    final long index;
    final String error;

    Outcome(String text, JsonElement body, long index, String error) {
      this.text = text;
      this.body = body;
      this.index = index;
      this.error = error;
    }
  }

  /** Thrown inside the loop for an answer that is not a result. */
  private static final class QueryFailed extends Exception {
    private static final long serialVersionUID = 1L;

    QueryFailed(String message) {
      super(message, null, false, false);
    }
  }

  private Outcome read(HttpResponse response) {
    int code = response.getStatusCode();
    String content = response.getContent() == null ? "" : response.getContent();
    if (code == 404 && key.notFoundIsEmpty) {
      Long index = response.getConsulIndex();
      return index == null ? new Outcome(null, null, 0, "answered 404 without an X-Consul-Index header")
          : new Outcome(null, null, index, null);
    }
    if (code != 200) {
      return new Outcome(null, null, 0, "answered " + code + " " + response.getStatusMessage()
          + (content.isBlank() ? "" : ": " + ErrorText.quote(content.strip())));
    }
    Long index = response.getConsulIndex();
    if (index == null) {
      return new Outcome(null, null, 0, "answered without an X-Consul-Index header (not a blocking endpoint, or "
          + "not Consul)");
    }
    try {
      return new Outcome(content, JsonParser.parseString(content), index, null);
    } catch (JsonParseException e) {
      return new Outcome(null, null, 0, "answered a body that is not JSON: " + ErrorText.quote(content.strip()));
    }
  }

  private Status failure(Exception e) {
    String what;
    if (e instanceof QueryFailed) {
      what = e.getMessage();
    } else if (e instanceof TransportException && e.getCause() instanceof SocketTimeoutException) {
      what = "no answer within " + key.agent.readTimeout().toSeconds() + " s (the read timeout: wait + wait/16 "
          + "+ " + ConsulAgent.READ_TIMEOUT_MARGIN.toSeconds() + " s)";
    } else if (e instanceof TransportException && e.getCause() instanceof NoHttpResponseException) {
      what = "closed the connection unanswered (restarting, or over limits.http_max_conns_per_client)";
    } else if (e instanceof TransportException && e.getCause() != null) {
      what = "cannot be reached: " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
    } else {
      what = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return Status.UNAVAILABLE.withDescription(ErrorText.cut("consul agent " + key.agent + ", GET "
        + key.endpoint + ": " + what));
  }

  private void deliver(Result result) {
    synchronized (lock) {
      // A new subscriber gets the last good result while there is one, not a passing error.
      last = result.error != null && last != null && last.error == null ? last : result.withoutTree();
    }
    for (Consumer<Result> listener : listeners) {
      listener.accept(result);
    }
  }

  /** Returns how many queries the watch of {@code key} has sent, or -1 if there is none. For tests. */
  static long queriesOf(Key key) {
    synchronized (WATCHES) {
      BlockingWatch watch = WATCHES.get(key);
      if (watch == null) {
        return -1;
      }
      synchronized (watch.lock) {
        return watch.queries;
      }
    }
  }

  /** Returns how many watches are running. For tests. */
  static int openWatches() {
    synchronized (WATCHES) {
      return WATCHES.size();
    }
  }
}
