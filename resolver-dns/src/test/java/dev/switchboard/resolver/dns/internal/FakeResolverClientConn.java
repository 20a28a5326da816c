package dev.switchboard.resolver.dns.internal;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Stand-in for the testing kit's {@code FakeResolverClientConn} (same method names) until the kit
 * lands on main; delete it then.
 *
 * <p>Thread-safe.
 */
final class FakeResolverClientConn implements ClientConn {
  private final List<Object> events = new ArrayList<>();
  private final Function<String, ConfigOrError<ServiceConfig>> parser;

  private FakeResolverClientConn(Function<String, ConfigOrError<ServiceConfig>> parser) {
    this.parser = parser;
  }

  static FakeResolverClientConn withParser(Function<String, ConfigOrError<ServiceConfig>> parser) {
    return new FakeResolverClientConn(parser);
  }

  @Override
  public Status updateState(ResolverState state) {
    record(state);
    return Status.OK;
  }

  @Override
  public void reportError(Status error) {
    record(error);
  }

  @Override
  public ConfigOrError<ServiceConfig> parseServiceConfig(String json) {
    return parser.apply(json);
  }

  private synchronized void record(Object event) {
    events.add(event);
    notifyAll();
  }

  synchronized int eventCount() {
    return events.size();
  }

  synchronized List<ResolverState> states() {
    return events.stream().filter(ResolverState.class::isInstance).map(ResolverState.class::cast).toList();
  }

  synchronized List<Status> errors() {
    return events.stream().filter(Status.class::isInstance).map(Status.class::cast).toList();
  }

  ResolverState awaitState(Duration timeout) {
    List<ResolverState> states = awaitStates(1, timeout);
    return states.get(states.size() - 1);
  }

  List<ResolverState> awaitStates(int count, Duration timeout) {
    await(() -> states().size() >= count, timeout, count + " state(s)");
    return states();
  }

  Status awaitError(Duration timeout) {
    await(() -> !errors().isEmpty(), timeout, "an error");
    List<Status> errors = errors();
    return errors.get(errors.size() - 1);
  }

  private synchronized void await(Supplier<Boolean> condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + what + " within " + timeout + "; events: " + events);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
