package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.api.ManagedChannel;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The {@code switchboard} command line: picks the command, loads the plugin layers, runs it, and
 * turns every failure into one line on stderr and an exit code.
 *
 * <p>Not thread-safe: one instance runs one command line.
 */
final class Cli {
  /** The environment variable that holds a plugin path when {@code --plugin-path} is not given. */
  static final String PLUGIN_PATH_ENV = "SWITCHBOARD_PLUGIN_PATH";

  static final String USAGE = """
      usage: switchboard <command> [options]

      commands:
        plugins [--check-defaults]   list the resolvers and balancers found; with --check-defaults,
                                     fail when the image's default scheme or policy has no provider
        resolve <target> [--once] [--timeout D] [--resolver-option NAME=VALUE]...
                                     run the target's resolver and print each update (addresses,
                                     attributes, service config) until interrupted; with --once,
                                     the first one (waiting at most --timeout, default 10s)
        call <target> [--method M] [--lb P] [-n N] [--concurrency C] [--plaintext] [--deadline D]
             [--resolver-option NAME=VALUE]... [--balancer-option NAME=VALUE]...
                                     make N unary calls (default 10, one at a time) of M (default
                                     grpc.health.v1.Health/Check) and report the spread over
                                     backends (by the address each call went to), status counts
                                     and latency; --deadline per call (default 5s)
        call <target> --method M -d|--data JSON [--protoset FILE] [--plaintext] [--deadline D] ...
                                     one call of M with JSON, as grpcurl: the types from server
                                     reflection (grpc.reflection.v1, else v1alpha) or from the
                                     descriptor set FILE (protoc --descriptor_set_out
                                     --include_imports); prints each response as one line of JSON.
                                     JSON objects one per line for streaming methods; -d @- reads
                                     them from stdin, -d @FILE from a file
        describe <target> [SERVICE] [--plaintext] [--deadline D]
        describe --protoset FILE [SERVICE]
                                     list the services (or SERVICE) and their methods, with
                                     request and response types and streaming kind
        demo                         three test backends on loopback, round_robin over them, one
                                     stopped and started again with no failed call
        help                         show this text

      options of every command:
        --plugin-path DIR[:DIR...]   load plugin jars from each folder into a module layer of its
                                     own (default: $SWITCHBOARD_PLUGIN_PATH)

      plugin options (repeatable; `switchboard plugins` lists each plugin's, with its default):
        --resolver-option NAME=VALUE set a resolver option, e.g. dns.enable-grpclb=true
        --balancer-option NAME=VALUE set a balancer option
      """;

  private static final Set<String> HELP_FLAGS = Set.of("--help", "-h");
  private static final Set<String> COMMANDS =
      Set.of("call", "demo", "describe", "help", "plugins", "resolve");
  private static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofSeconds(10);

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final ImageDefaults defaults;

  /** A command line without stdin: {@code --data @-} reads nothing. */
  Cli(PrintStream out, PrintStream err, Map<String, String> env, ImageDefaults defaults) {
    this(InputStream.nullInputStream(), out, err, env, defaults);
  }

  Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
      ImageDefaults defaults) {
    this.in = requireNonNull(in, "in");
    this.out = requireNonNull(out, "out");
    this.err = requireNonNull(err, "err");
    this.env = Map.copyOf(requireNonNull(env, "env"));
    this.defaults = requireNonNull(defaults, "defaults");
  }

  /** Runs {@code argv} and returns the process exit code. */
  int run(List<String> argv) {
    try {
      runOrThrow(argv);
      return 0;
    } catch (CliException e) {
      err.println("switchboard: " + e.getMessage());
      return e.exitCode();
    } catch (RuntimeException e) {
      // A bug or a plugin that misbehaves: still one line, with the type to report it by.
      err.println("switchboard: internal error: " + e);
      return CliException.FAILURE;
    } finally {
      out.flush();
    }
  }

  private void runOrThrow(List<String> argv) throws CliException {
    // `switchboard call --help` is what users of other CLIs type first: usage, not an error.
    if (argv.isEmpty() || argv.get(0).equals("help") || argv.stream().anyMatch(HELP_FLAGS::contains)) {
      out.print(USAGE);
      return;
    }
    String command = argv.get(0);
    List<String> rest = argv.subList(1, argv.size());
    switch (command) {
      case "plugins" -> {
        Args args = Args.parse(command, rest, Set.of("--check-defaults"), Set.of("--plugin-path"));
        args.noPositional();
        PluginLayers layers = layers(args);
        new PluginsCommand(registry(layers), layers, defaults)
            .run(out, args.flag("--check-defaults"));
      }
      case "resolve" -> {
        Args args = Args.parse(command, rest, Set.of("--once"),
            Set.of("--timeout", "--plugin-path", Args.RESOLVER_OPTION));
        String target = args.single("target");
        Duration timeout = args.durationOption("--timeout").orElse(DEFAULT_RESOLVE_TIMEOUT);
        PluginRegistry registry = registry(layers(args));
        PluginOptionArgs options = PluginOptionArgs.parse(command, args, registry);
        // The image's default, else the channel's: dns when a resolver serves it.
        String scheme = defaults.defaultScheme().orElse(
            registry.resolverProvider("dns").isPresent() ? "dns" : "passthrough");
        try {
          new ResolveCommand(registry, out)
              .run(target, scheme, args.flag("--once"), timeout, options.resolverOptions());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw CliException.failure("resolve: interrupted");
        }
      }
      case "call" -> {
        CallSettings settings = CallSettings.parse(rest, defaults);
        Args args = Args.parse(command, rest, CallSettings.FLAGS, CallSettings.OPTIONS);
        PluginRegistry registry = registry(layers(args));
        PluginOptionArgs options = PluginOptionArgs.parse(command, args, registry);
        try {
          new CallCommand(in, out, defaults, registry).run(settings, options);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw CliException.failure("call: interrupted");
        }
      }
      case "describe" -> {
        Args args = Args.parse(command, rest, Set.of("--plaintext"), Set.of("--deadline",
            "--protoset", "--lb", "--plugin-path", Args.RESOLVER_OPTION, Args.BALANCER_OPTION));
        try {
          describe(args);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw CliException.failure("describe: interrupted");
        }
      }
      case "demo" -> {
        Args.parse(command, rest, Set.of(), Set.of()).noPositional();
        try {
          new DemoCommand(out).run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw CliException.failure("demo: interrupted");
        }
      }
      default -> throw CliException.usage("unknown command " + ErrorText.quote(command) + " (expected one of: "
          + String.join(", ", new TreeSet<>(COMMANDS)) + ")");
    }
  }

  private void describe(Args args) throws CliException, InterruptedException {
    List<String> positional = args.positional();
    Optional<String> protoset = args.option("--protoset");
    int most = protoset.isPresent() ? 1 : 2;
    if (positional.size() < most - 1 || positional.size() > most) {
      throw CliException.usage("describe: expected " + (protoset.isPresent()
          ? "at most one service with --protoset" : "a target and at most one service") + ", got "
          + (positional.isEmpty() ? "none" : positional.size() + ": " + String.join(" ", positional)));
    }
    Optional<String> service = positional.size() == most
        ? Optional.of(positional.get(most - 1)) : Optional.empty();
    DescribeCommand command = new DescribeCommand(out);
    if (protoset.isPresent()) {
      ProtosetSource types = CallCommand.protoset("describe", protoset.get());
      try {
        command.run(types, service);
      } catch (CliException e) {
        throw e.withPrefix("describe: ");
      }
      return;
    }
    String target = positional.get(0);
    Duration deadline = args.durationOption("--deadline").orElse(CallSettings.DEFAULT_DEADLINE);
    PluginRegistry registry = registry(layers(args));
    PluginOptionArgs options = PluginOptionArgs.parse("describe", args, registry);
    ManagedChannel channel = CallCommand.channel("describe", target,
        args.option("--lb").orElse(defaults.policy()), args.flag("--plaintext"), registry, defaults,
        options);
    try (ReflectionSource types = new ReflectionSource(channel, target, deadline)) {
      command.run(types, service);
    } catch (CliException e) {
      throw e.withPrefix("describe: ");
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private PluginLayers layers(Args args) throws CliException {
    String path = args.option("--plugin-path").orElse(env.getOrDefault(PLUGIN_PATH_ENV, ""));
    return PluginLayers.load(path);
  }

  private static PluginRegistry registry(PluginLayers layers) {
    PluginRegistry.Builder b = PluginRegistry.newBuilder();
    for (PluginLayers.Folder f : layers.folders()) {
      b.addLayer(f.layer());
    }
    return b.build();
  }
}
