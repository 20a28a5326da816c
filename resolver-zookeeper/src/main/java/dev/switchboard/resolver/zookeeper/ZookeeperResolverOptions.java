package dev.switchboard.resolver.zookeeper;

import dev.switchboard.channel.api.PluginOption;
import java.time.Duration;
import java.util.List;

/**
 * Options of the {@code zk} resolver. Set them on the channel, which hands them to the resolver in
 * its {@link dev.switchboard.channel.api.resolver.ResolverArgs}; an option not set takes its
 * default:
 *
 * <pre>{@code
 * ManagedChannel channel = ChannelBuilder.forTarget("zk:///services/orders")
 *     .resolverOption(ZookeeperResolverOptions.ENSEMBLE, "zk1:2181,zk2:2181,zk3:2181")
 *     .resolverOption(ZookeeperResolverOptions.SESSION_TIMEOUT, Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>From the {@code switchboard} CLI, by name: {@code --resolver-option zk.ensemble=zk1:2181}.
 *
 * <p>The ensemble, the chroot and both timeouts together name a ZooKeeper session: channels whose
 * targets and options agree on all four share one (see {@link dev.switchboard.resolver.zookeeper}).
 * A value out of range makes {@code newResolver} throw an {@link IllegalArgumentException} naming
 * the option.
 *
 * <p>Immutable: only constants.
 *
 * @since 0.1
 */
public final class ZookeeperResolverOptions {

  /** The system property read for the ensemble when neither the target nor {@link #ENSEMBLE} names one. */
  public static final String ENSEMBLE_PROPERTY = "switchboard.zk.ensemble";

  /** The environment variable read for the ensemble after {@link #ENSEMBLE_PROPERTY}. */
  public static final String ENSEMBLE_VARIABLE = "SWITCHBOARD_ZK_ENSEMBLE";

  /** The default of {@link #SESSION_TIMEOUT}: 60 seconds, Curator's. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(60);

  /** The default of {@link #CONNECTION_TIMEOUT}: 15 seconds, Curator's. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(15);

  /**
   * {@code zk.ensemble}: the ZooKeeper servers ({@code host1:2181,host2:2181}; the port defaults to
   * 2181) for targets without an authority ({@code zk:///services/orders}). When empty, the system
   * property {@value #ENSEMBLE_PROPERTY} is read, then the environment variable
   * {@value #ENSEMBLE_VARIABLE}. A target's own authority always wins. Default: empty.
   */
  public static final PluginOption<String> ENSEMBLE = PluginOption.ofString("zk.ensemble", "");

  /**
   * {@code zk.chroot}: a ZooKeeper chroot ({@code /apps/prod}) under which every path of the target
   * is read, as ZooKeeper's own {@code host:2181/apps/prod} connect string does. Default: empty,
   * none.
   */
  public static final PluginOption<String> CHROOT = PluginOption.ofString("zk.chroot", "");

  /**
   * {@code zk.session-timeout}: the ZooKeeper session timeout the resolver asks for (the server
   * keeps it within its own min and max, 4 s to 40 s with default settings). Must be positive.
   * Default: {@link #DEFAULT_SESSION_TIMEOUT}.
   */
  public static final PluginOption<Duration> SESSION_TIMEOUT =
      PluginOption.ofDuration("zk.session-timeout", DEFAULT_SESSION_TIMEOUT);

  /**
   * {@code zk.connection-timeout}: how long the first connection may take; a resolver that has read
   * nothing by then reports {@code UNAVAILABLE} (and goes on trying). Must be positive. Default:
   * {@link #DEFAULT_CONNECTION_TIMEOUT}.
   */
  public static final PluginOption<Duration> CONNECTION_TIMEOUT =
      PluginOption.ofDuration("zk.connection-timeout", DEFAULT_CONNECTION_TIMEOUT);

  /** Every option above, as {@code ResolverProvider.options()} lists them. */
  public static final List<PluginOption<?>> ALL = List.of(ENSEMBLE, CHROOT, SESSION_TIMEOUT, CONNECTION_TIMEOUT);

  private ZookeeperResolverOptions() {}
}
