package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.Target;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A resolver that breaks one rule of the contract, to show the contract test catches it. */
final class FlawedResolverProvider implements ResolverProvider {

  enum Flaw { UPPER_CASE_SCHEME, SILENT, BLOCKS_IN_RESOLVE_NOW, REPORTS_AFTER_CLOSE, VAGUE_ERROR, WAITS_FOR_ITS_OWN_RESOLUTION }

  private final Flaw flaw;
  /** Released when the test ends, so that a blocked thread does not outlive it. */
  final CountDownLatch release = new CountDownLatch(1);

  FlawedResolverProvider(Flaw flaw) {
    this.flaw = flaw;
  }

  @Override
  public String scheme() {
    return flaw == Flaw.UPPER_CASE_SCHEME ? "Flawed" : "flawed";
  }

  @Override
  public void checkTarget(Target target) {
    if (target.endpoint().isEmpty()) {
      throw new IllegalArgumentException(flaw == Flaw.VAGUE_ERROR ? "bad target" : "target '" + target + "' has no endpoint");
    }
  }

  @Override
  public Resolver newResolver(Target target, ClientConn conn, ResolverArgs args) {
    checkTarget(target);
    ResolverState state = ResolverState.newBuilder().build();
    Resolver resolver = new Resolver() {
      private volatile CountDownLatch inFlight;

      @Override
      public void resolveNow() {
        if (flaw == Flaw.BLOCKS_IN_RESOLVE_NOW) {
          await();
        }
        if (flaw == Flaw.WAITS_FOR_ITS_OWN_RESOLUTION) {
          // Waits for the resolution in flight: called from inside that resolution's report, it
          // waits for itself.
          CountDownLatch current = inFlight;
          if (current != null) {
            awaitEither(current);
            return;
          }
          CountDownLatch mine = new CountDownLatch(1);
          inFlight = mine;
          Thread worker = new Thread(() -> {
            conn.updateState(state);
            inFlight = null;
            mine.countDown();
          });
          worker.setDaemon(true);
          worker.start();
        }
      }

      @Override
      public void close() {
        if (flaw == Flaw.REPORTS_AFTER_CLOSE) {
          args.scheduler().schedule(() -> conn.updateState(state), 20, TimeUnit.MILLISECONDS);
        }
      }

      private void await() {
        awaitEither(release);
      }

      private void awaitEither(CountDownLatch latch) {
        try {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (!latch.await(10, TimeUnit.MILLISECONDS) && release.getCount() > 0
              && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    if (flaw != Flaw.SILENT) {
      conn.updateState(state);
    }
    return resolver;
  }
}
