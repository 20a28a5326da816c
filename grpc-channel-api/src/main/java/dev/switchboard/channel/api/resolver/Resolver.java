package dev.switchboard.channel.api.resolver;

/**
 * Watches one target and reports what it finds to its {@link ClientConn}.
 *
 * <p>A resolver starts working when it is created and reports through the {@code ClientConn} it was
 * given, from any thread, inline or later.
 *
 * <p>Thread-safe: {@link #resolveNow()} and {@link #close()} may be called from any thread.
 *
 * @since 0.1
 */
public interface Resolver extends AutoCloseable {

  /**
   * Asks for a new resolution. It is a hint: the resolver may ignore it (a watch-based resolver
   * already has the latest state) or rate-limit it. It may be called often, and must not block.
   */
  void resolveNow();

  /**
   * Stops the resolver and releases what it holds. Nothing it reports after {@code close()}
   * returns reaches the channel. Idempotent; does not block for long.
   */
  @Override
  void close();
}
