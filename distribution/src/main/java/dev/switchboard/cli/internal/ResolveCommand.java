package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.PluginOptions;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.core.internal.channel.ChannelSettings;
import dev.switchboard.channel.core.internal.channel.TargetResolution;
import dev.switchboard.channel.core.internal.config.ServiceConfigParser;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard resolve <target> [--once]}: runs the resolver of the target's scheme, as the
 * channel would, with a {@link ClientConn} that hands every report to this command, which prints it:
 * the addresses, each with its attributes and its balancer-only attributes (as {@link
 * Address#toString()} names them: {@code balancer{…}}), the state's attributes, and the service
 * config JSON or the error parsing it.
 *
 * <p>Without {@code --once} it prints updates and errors until the process is interrupted. With
 * {@code --once} it prints the first state and returns, or fails with the first error, or fails
 * when nothing arrives within the timeout.
 *
 * <p>Not thread-safe: runs once on the main thread; the resolver reports from its own threads
 * through a queue.
 */
final class ResolveCommand {
  private final PluginRegistry registry;
  private final PrintStream out;

  ResolveCommand(PluginRegistry registry, PrintStream out) {
    this.registry = requireNonNull(registry, "registry");
    this.out = requireNonNull(out, "out");
  }

  /**
   * Resolves {@code rawTarget}, read as a channel would read it with {@code defaultScheme}: with
   * {@code once}, until the first report (waiting at most {@code timeout}); otherwise until
   * interrupted.
   */
  void run(String rawTarget, String defaultScheme, boolean once, Duration timeout,
      PluginOptions options) throws CliException, InterruptedException {
    TargetResolution resolution;
    try {
      resolution = TargetResolution.of(
          rawTarget, defaultScheme, registry::resolverProvider, registry::schemes);
    } catch (IllegalArgumentException e) {
      throw CliException.failure(e.getMessage());
    }
    Target target = resolution.target();
    ResolverProvider provider = resolution.provider();
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("switchboard-resolve-timer"));
    ExecutorService offload = Executors.newCachedThreadPool(daemon("switchboard-resolve-offload"));
    QueueingClientConn conn = new QueueingClientConn(new ServiceConfigParser(registry));
    try {
      ResolverArgs args = ResolverArgs.newBuilder().scheduler(scheduler).offloadExecutor(offload)
          .authority(ChannelSettings.authorityOf(target)).options(options).build();
      Resolver resolver;
      try {
        resolver = provider.newResolver(target, conn, args);
      } catch (IllegalArgumentException e) {
        throw CliException.failure("target " + ErrorText.quote(target.original()) + ": " + e.getMessage());
      }
      try {
        for (int n = 1; ; n++) {
          Object report = once
              ? conn.reports.poll(timeout.toNanos(), TimeUnit.NANOSECONDS)
              : conn.reports.take();
          if (report == null) {
            throw CliException.failure("target " + ErrorText.quote(target.original()) + ": no answer from the "
                + target.scheme() + " resolver within " + timeout.toMillis() + " ms");
          }
          if (once && report instanceof Status) {
            throw CliException.failure("target " + ErrorText.quote(target.original()) + ": " + report);
          }
          out.print(format(n, report));
          out.flush();
          if (once) {
            return;
          }
        }
      } finally {
        resolver.close();
      }
    } finally {
      scheduler.shutdownNow();
      offload.shutdownNow();
    }
  }

  /** Returns the text of the {@code n}th report, a {@link ResolverState} or an error {@link Status}. */
  static String format(int n, Object report) {
    if (report instanceof Status) {
      return "#" + n + " error: " + report + "\n";
    }
    ResolverState state = (ResolverState) report;
    StringBuilder sb = new StringBuilder();
    int count = state.addresses().size();
    sb.append('#').append(n).append(" update: ").append(count)
        .append(count == 1 ? " address\n" : " addresses\n");
    for (Address a : state.addresses()) {
      sb.append("  ").append(format(a.socketAddress()));
      if (!a.attributes().isEmpty()) {
        sb.append(' ').append(a.attributes());
      }
      if (!a.balancerAttributes().isEmpty()) {
        sb.append(" balancer").append(a.balancerAttributes());
      }
      sb.append('\n');
    }
    if (!state.attributes().isEmpty()) {
      sb.append("  attributes: ").append(state.attributes()).append('\n');
    }
    Optional<ConfigOrError<ServiceConfig>> config = state.serviceConfig();
    if (config.isEmpty()) {
      sb.append("  service config: none from the resolver\n");
    } else if (config.get().isOk()) {
      sb.append("  service config: ")
          .append(config.get().config().map(ServiceConfig::json).orElse("").strip()).append('\n');
    } else {
      sb.append("  service config error: ").append(config.get().status()).append('\n');
    }
    return sb.toString();
  }

  /** Returns {@code host:port}, with brackets around an IPv6 address. */
  static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      String host = inet.getAddress().getHostAddress();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return address.toString();
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Queues the resolver's reports for the command's thread. Thread-safe. */
  private static final class QueueingClientConn implements ClientConn {
    final BlockingQueue<Object> reports = new LinkedBlockingQueue<>();
    private final ServiceConfigParser parser;

    QueueingClientConn(ServiceConfigParser parser) {
      this.parser = parser;
    }

    @Override
    public Status updateState(ResolverState state) {
      reports.add(requireNonNull(state, "state"));
      return Status.OK;
    }

    @Override
    public void reportError(Status error) {
      reports.add(requireNonNull(error, "error"));
    }

    @Override
    public ConfigOrError<ServiceConfig> parseServiceConfig(String json) {
      return parser.parse(json);
    }
  }
}
