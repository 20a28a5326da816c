package dev.switchboard.channel.testing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.core.internal.config.ServiceConfigParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A {@link ClientConn} that records what a resolver reports, for resolver tests.
 *
 * <p>States and errors are kept in one ordered list of {@linkplain Event events}; tests read them
 * or wait for them with a deadline ({@link #awaitState}, {@link #awaitError}, {@link #awaitEvents}).
 * {@link #updateState} answers {@link #setUpdateStateResult(Status) a configurable status} (OK by
 * default), as a channel whose balancer rejects the state would. A {@linkplain #onEvent callback}
 * runs inline after each event is recorded, so a test can call back into the resolver from inside
 * its own report, as a channel may.
 *
 * <p>{@link #parseServiceConfig} parses with the channel's own parser, so a resolver test sees
 * the errors a real channel would give.
 *
 * <p>Thread-safe: a resolver may report from any thread, inline or not; a test may read from any
 * thread. The callback runs on the reporting thread, outside any lock of this class.
 *
 * @since 0.1
 */
public final class FakeResolverClientConn implements ClientConn {

  /**
   * Something a resolver reported. Immutable.
   *
   * @since 0.1
   */
  public sealed interface Event {
    /**
     * A state given to {@link ClientConn#updateState}.
     *
     * @param state the state
     * @param thread the name of the thread that reported it
     */
    record State(ResolverState state, String thread) implements Event {}

    /**
     * An error given to {@link ClientConn#reportError}.
     *
     * @param error the error
     * @param thread the name of the thread that reported it
     */
    record Error(Status error, String thread) implements Event {}
  }

  private final Object lock = new Object();
  private final List<Event> events = new ArrayList<>();
  private final Function<String, ConfigOrError<ServiceConfig>> parser;
  private volatile Status updateStateResult = Status.OK;
  private volatile Runnable onEvent = () -> {};

  private FakeResolverClientConn(Function<String, ConfigOrError<ServiceConfig>> parser) {
    this.parser = parser;
  }

  /**
   * Returns a conn that parses service configs as the channel does, with the policies of
   * {@link PluginRegistry#loadDefault()} (loaded once and shared).
   */
  public static FakeResolverClientConn create() {
    return new FakeResolverClientConn(DefaultServiceConfigParser.INSTANCE::parse);
  }

  /** Returns a conn that parses service configs as a channel using {@code registry} does. */
  public static FakeResolverClientConn create(PluginRegistry registry) {
    return new FakeResolverClientConn(new ServiceConfigParser(requireNonNull(registry, "registry"))::parse);
  }

  /**
   * Returns a conn whose {@link #parseServiceConfig} uses {@code parser} (for example a stub that
   * a test controls).
   */
  public static FakeResolverClientConn withParser(
      Function<String, ConfigOrError<ServiceConfig>> parser) {
    return new FakeResolverClientConn(requireNonNull(parser, "parser"));
  }

  /**
   * Sets what {@link #updateState} returns from now on. Default: {@link Status#OK}. A non-OK value
   * plays a balancer that rejects the state.
   */
  public void setUpdateStateResult(Status result) {
    this.updateStateResult = requireNonNull(result, "result");
  }

  /**
   * Sets a callback that runs inline, on the reporting thread, after each state or error is
   * recorded. Default: nothing. Use it to call back into the resolver from inside its report.
   */
  public void onEvent(Runnable callback) {
    this.onEvent = requireNonNull(callback, "callback");
  }

  @Override
  public Status updateState(ResolverState state) {
    requireNonNull(state, "state");
    record(new Event.State(state, Thread.currentThread().getName()));
    return updateStateResult;
  }

  @Override
  public void reportError(Status error) {
    requireNonNull(error, "error");
    record(new Event.Error(error, Thread.currentThread().getName()));
  }

  @Override
  public ConfigOrError<ServiceConfig> parseServiceConfig(String json) {
    requireNonNull(json, "json");
    return parser.apply(json);
  }

  private void record(Event event) {
    synchronized (lock) {
      events.add(event);
      lock.notifyAll();
    }
    onEvent.run();
  }

  /** Returns every state and error reported so far, in order. */
  public List<Event> events() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }

  /** Returns the number of states and errors reported so far. */
  public int eventCount() {
    synchronized (lock) {
      return events.size();
    }
  }

  /** Returns the states reported so far, in order. */
  public List<ResolverState> states() {
    List<ResolverState> out = new ArrayList<>();
    for (Event e : events()) {
      if (e instanceof Event.State s) {
        out.add(s.state());
      }
    }
    return List.copyOf(out);
  }

  /** Returns the errors reported so far, in order. */
  public List<Status> errors() {
    List<Status> out = new ArrayList<>();
    for (Event e : events()) {
      if (e instanceof Event.Error err) {
        out.add(err.error());
      }
    }
    return List.copyOf(out);
  }

  /**
   * Waits until at least one state has been reported and returns the latest.
   *
   * @throws AssertionError if none arrives within {@code timeout}
   */
  public ResolverState awaitState(Duration timeout) {
    List<ResolverState> states = awaitStates(1, timeout);
    return states.get(states.size() - 1);
  }

  /**
   * Waits until at least {@code count} states have been reported in all and returns them all.
   *
   * @throws AssertionError if fewer arrive within {@code timeout}
   */
  public List<ResolverState> awaitStates(int count, Duration timeout) {
    awaitCondition(() -> states().size() >= count, timeout, "at least " + count + " state(s)");
    return states();
  }

  /**
   * Waits until at least one error has been reported and returns the latest.
   *
   * @throws AssertionError if none arrives within {@code timeout}
   */
  public Status awaitError(Duration timeout) {
    awaitCondition(() -> !errors().isEmpty(), timeout, "an error");
    List<Status> errors = errors();
    return errors.get(errors.size() - 1);
  }

  /**
   * Waits until at least {@code count} events (states and errors) have been reported in all and
   * returns them all.
   *
   * @throws AssertionError if fewer arrive within {@code timeout}
   */
  public List<Event> awaitEvents(int count, Duration timeout) {
    awaitCondition(() -> eventCount() >= count, timeout, "at least " + count + " event(s)");
    return events();
  }

  /**
   * Watches for {@code watch} and fails as soon as more than {@code count} events have been
   * reported in all, for checking that nothing arrives (after a resolver was closed, say).
   *
   * @throws AssertionError listing the events past {@code count}
   */
  public void assertNoEventsAfter(int count, Duration watch) {
    requireNonNull(watch, "watch");
    long deadline = System.nanoTime() + watch.toNanos();
    synchronized (lock) {
      while (events.size() <= count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while watching for unexpected events", e);
        }
      }
      throw new AssertionError("unexpected report(s) after the first " + count + ": "
          + events.subList(count, events.size()));
    }
  }

  private void awaitCondition(BooleanSupplier done, Duration timeout, String what) {
    requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected " + what + " within " + timeout + "; reported so far: " + events);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + what, e);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "FakeResolverClientConn" + events();
  }
}
