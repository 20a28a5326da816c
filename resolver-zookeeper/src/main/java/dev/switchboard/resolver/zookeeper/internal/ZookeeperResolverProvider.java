package dev.switchboard.resolver.zookeeper.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.PluginOption;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.resolver.zookeeper.ZookeeperResolverOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.zookeeper.common.PathUtils;

/**
 * Provides the {@code zk} scheme. The grammar, options and behaviour are documented on the module
 * and on {@link dev.switchboard.resolver.zookeeper}.
 *
 * <p>Thread-safe: stateless; resolvers share sessions through {@link ZookeeperSessions}.
 */
public final class ZookeeperResolverProvider implements ResolverProvider {

  /** The scheme served. */
  public static final String SCHEME = "zk";

  private final Function<String, String> systemProperties;
  private final Function<String, String> environment;

  /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
  public ZookeeperResolverProvider() {
    this(System::getProperty, System::getenv);
  }

  /** For tests: where the ensemble's system property and environment variable are read. */
  ZookeeperResolverProvider(Function<String, String> systemProperties, Function<String, String> environment) {
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public List<PluginOption<?>> options() {
    return ZookeeperResolverOptions.ALL;
  }

  @Override
  public void checkTarget(Target target) {
    ZookeeperTarget.parse(requireNonNull(target, "target"));
  }

  @Override
  public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
    requireNonNull(target, "target");
    requireNonNull(clientConn, "clientConn");
    requireNonNull(args, "args");
    ZookeeperTarget zk = ZookeeperTarget.parse(target);
    String where = "target " + ErrorText.quote(target.original());
    String ensemble = zk.ensemble().orElseGet(() -> ensembleFromOutside(args, where));
    String chroot = args.option(ZookeeperResolverOptions.CHROOT);
    if (!chroot.isEmpty()) {
      try {
        PathUtils.validatePath(chroot);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": option " + ZookeeperResolverOptions.CHROOT + " is "
            + ErrorText.quote(chroot) + ": " + e.getMessage(), e);
      }
      if (chroot.equals("/")) {
        chroot = "";
      }
    }
    Duration sessionTimeout = positive(args, ZookeeperResolverOptions.SESSION_TIMEOUT, where);
    Duration connectionTimeout = positive(args, ZookeeperResolverOptions.CONNECTION_TIMEOUT, where);
    ZookeeperSessions.Lease lease = ZookeeperSessions.acquire(
        new ZookeeperSessions.Key(ensemble + chroot, sessionTimeout, connectionTimeout));
    ZookeeperResolver resolver = new ZookeeperResolver(zk, clientConn, lease, args.scheduler(), args.offloadExecutor(), args.ticker(),
        args.serviceConfigIgnored(), connectionTimeout);
    resolver.start();
    return resolver;
  }

  /** The ensemble for a target without one: the option, the system property, the environment. */
  private String ensembleFromOutside(ResolverArgs args, String where) {
    String option = args.option(ZookeeperResolverOptions.ENSEMBLE);
    if (!option.isEmpty()) {
      return ZookeeperTarget.ensemble(option, where + ", option " + ZookeeperResolverOptions.ENSEMBLE);
    }
    String property = systemProperties.apply(ZookeeperResolverOptions.ENSEMBLE_PROPERTY);
    if (property != null && !property.isEmpty()) {
      return ZookeeperTarget.ensemble(property,
          where + ", system property " + ZookeeperResolverOptions.ENSEMBLE_PROPERTY);
    }
    String variable = environment.apply(ZookeeperResolverOptions.ENSEMBLE_VARIABLE);
    if (variable != null && !variable.isEmpty()) {
      return ZookeeperTarget.ensemble(variable,
          where + ", environment variable " + ZookeeperResolverOptions.ENSEMBLE_VARIABLE);
    }
    throw new IllegalArgumentException(where + ": no ZooKeeper ensemble (expected: one in the target, "
        + "zk://host:2181/base/service, or in option " + ZookeeperResolverOptions.ENSEMBLE + ", system property "
        + ZookeeperResolverOptions.ENSEMBLE_PROPERTY + " or environment variable "
        + ZookeeperResolverOptions.ENSEMBLE_VARIABLE + ")");
  }

  private static Duration positive(ResolverArgs args, PluginOption<Duration> option, String where) {
    Duration value = args.option(option);
    if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(where + ": option " + option + " is " + value
          + " (expected: more than zero, at most " + Integer.MAX_VALUE + " ms)");
    }
    return value;
  }
}
