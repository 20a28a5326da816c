package dev.switchboard.balancer.roundrobin.internal;

/**
 * The parsed config of {@code round_robin}, which has no settings.
 *
 * <p>Immutable.
 */
public final class RoundRobinConfig {
  /** The one config. */
  public static final RoundRobinConfig INSTANCE = new RoundRobinConfig();

  private RoundRobinConfig() {}

  @Override
  public String toString() {
    return "RoundRobinConfig{}";
  }
}
