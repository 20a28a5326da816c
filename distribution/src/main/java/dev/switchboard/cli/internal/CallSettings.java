package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.ErrorText;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code switchboard call <target> [--method M] [--lb P] [-n N] [--concurrency C]
 * [--plaintext] [--deadline D] [-d|--data JSON] [--protoset FILE]} asks for.
 *
 * <p>With {@code --data} or {@code --protoset} the call is a JSON call ({@link #json()}): one call
 * whose requests are JSON and whose responses are printed as JSON, its types from server
 * reflection or the descriptor set; {@code -n} and {@code --concurrency}, which ask for the
 * spread report of many calls, do not go with it.
 *
 * <p>Immutable.
 *
 * @param target the channel target, as given
 * @param service the full service name ({@code grpc.health.v1.Health})
 * @param method the method name ({@code Check})
 * @param policy the balancing policy, or empty for the image's (then the channel's) default
 * @param calls how many calls to make, 1 or more
 * @param concurrency how many calls in flight at once, at most {@code calls}
 * @param plaintext whether to connect without TLS
 * @param deadline the deadline of each call
 * @param data the JSON requests ({@code --data}): the JSON itself, {@code @-} for stdin or
 *     {@code @FILE}; empty if not given
 * @param protoset the descriptor set file ({@code --protoset}), if given; else server reflection
 */
record CallSettings(
    String target,
    String service,
    String method,
    String policy,
    int calls,
    int concurrency,
    boolean plaintext,
    Duration deadline,
    Optional<String> data,
    Optional<String> protoset) {

  /** The method called when none is given: gRPC's standard health check. */
  static final String DEFAULT_METHOD = "grpc.health.v1.Health/Check";
  static final int DEFAULT_CALLS = 10;
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
  static final int MAX_CALLS = 10_000_000;
  static final int MAX_CONCURRENCY = 1_000;

  static final Set<String> FLAGS = Set.of("--plaintext");
  static final Set<String> OPTIONS = Set.of("--method", "--lb", "-n", "--concurrency", "--deadline",
      "-d", "--data", "--protoset", "--plugin-path", Args.RESOLVER_OPTION, Args.BALANCER_OPTION);

  /** Checks the components. */
  CallSettings {
    requireNonNull(target, "target");
    requireNonNull(service, "service");
    requireNonNull(method, "method");
    requireNonNull(policy, "policy");
    requireNonNull(deadline, "deadline");
    requireNonNull(data, "data");
    requireNonNull(protoset, "protoset");
  }

  /** Returns whether this is a JSON call: {@code --data} or {@code --protoset} given. */
  boolean json() {
    return data.isPresent() || protoset.isPresent();
  }

  /** Returns the method's full name, {@code service/method}. */
  String fullMethodName() {
    return service + "/" + method;
  }

  /** Parses the arguments after {@code call}; {@code defaults} supplies the policy when none is given. */
  static CallSettings parse(List<String> argv, ImageDefaults defaults) throws CliException {
    Args args = Args.parse("call", argv, FLAGS, OPTIONS);
    String target = args.single("target");
    String fullMethod = args.option("--method").orElse(DEFAULT_METHOD);
    String name = fullMethod.startsWith("/") ? fullMethod.substring(1) : fullMethod;
    int slash = name.indexOf('/');
    if (slash <= 0 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0) {
      throw CliException.usage("call: --method " + ErrorText.quote(fullMethod)
          + " (expected: package.Service/Method, such as " + DEFAULT_METHOD + ")");
    }
    String policy = args.option("--lb").orElse(defaults.policy());
    if (args.option("--lb").isPresent() && policy.isBlank()) {
      throw CliException.usage("call: --lb is empty (expected: a policy name such as round_robin)");
    }
    if (args.option("-d").isPresent() && args.option("--data").isPresent()) {
      throw CliException.usage("call: -d and --data given (expected: one of them)");
    }
    Optional<String> data = args.option("-d").or(() -> args.option("--data"));
    Optional<String> protoset = args.option("--protoset");
    if (protoset.isPresent() && protoset.get().isEmpty()) {
      throw CliException.usage("call: --protoset is empty (expected: a descriptor set file)");
    }
    if (data.isPresent() || protoset.isPresent()) {
      for (String many : List.of("-n", "--concurrency")) {
        if (args.option(many).isPresent()) {
          throw CliException.usage("call: " + many + " does not go with "
              + (data.isPresent() ? "--data" : "--protoset")
              + " (a JSON call is made once and prints its responses)");
        }
      }
    }
    int calls = args.intOption("-n", DEFAULT_CALLS, 1, MAX_CALLS);
    int concurrency = args.intOption("--concurrency", 1, 1, MAX_CONCURRENCY);
    return new CallSettings(target, name.substring(0, slash), name.substring(slash + 1), policy,
        calls, Math.min(concurrency, calls), args.flag("--plaintext"),
        args.durationOption("--deadline").orElse(DEFAULT_DEADLINE), data, protoset);
  }
}
