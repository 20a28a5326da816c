package dev.switchboard.channel.api.balancer;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The load-balancing policies a channel knows: its plugin registry, as balancers see it, so that a
 * parent policy (grpclb, weighted_target, priority) can run any other policy as a child with
 * nothing but this API. A balancer reaches it through {@link ClientConn#balancerRegistry()}, and a
 * provider parsing its config gets it in {@link BalancerProvider#parseConfig}.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public interface BalancerRegistry {

  /** Returns the available provider of {@code policyName}, the highest priority one. */
  Optional<BalancerProvider<?>> provider(String policyName);

  /** Returns the names of the policies that have an available provider. */
  Set<String> policies();

  /**
   * Selects a policy from a list in the form of {@code loadBalancingConfig} ({@code
   * [{"round_robin": {}}, {"pick_first": {}}]}): the first entry whose policy has an available
   * provider, with its config parsed by that provider. Never throws: an error is {@code
   * INVALID_ARGUMENT} naming the entry and what is wrong, or that no policy in the list is
   * available (listing the ones that are).
   *
   * @param configs the list, as parsed JSON: maps, lists, strings, numbers, booleans
   */
  default ConfigOrError<ChildPolicy<?>> parsePolicyList(List<?> configs) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      Object entry = configs.get(i);
      if (!(entry instanceof Map) || ((Map<?, ?>) entry).size() != 1) {
        return invalid("[" + i + "]: " + (entry instanceof Map ? ((Map<?, ?>) entry).size() + " fields" : "not an object")
            + " (expected: an object with one field, the policy name)");
      }
      Map.Entry<?, ?> only = ((Map<?, ?>) entry).entrySet().iterator().next();
      String name = String.valueOf(only.getKey());
      names.add(name);
      Optional<BalancerProvider<?>> provider = provider(name);
      if (provider.isEmpty()) {
        continue;
      }
      if (!(only.getValue() instanceof Map)) {
        return invalid("[" + i + "]." + name + ": not an object (expected: the policy's config object)");
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> raw = (Map<String, ?>) only.getValue();
      return parsePolicy(provider.get(), raw, "[" + i + "]." + name);
    }
    StringBuilder quoted = new StringBuilder("[");
    for (int i = 0; i < names.size() && i < 5; i++) {
      quoted.append(i == 0 ? "" : ", ").append(ErrorText.quote(names.get(i)));
    }
    quoted.append(names.size() > 5 ? ", and " + (names.size() - 5) + " more]" : "]");
    return invalid("no supported policy in " + quoted + " (available: " + policies() + ")");
  }

  /**
   * Parses {@code raw} with {@code provider}; never throws. A provider that throws or returns
   * {@code null} is an error naming {@code path}.
   */
  default <C> ConfigOrError<ChildPolicy<?>> parsePolicy(BalancerProvider<C> provider, Map<String, ?> raw,
      String path) {
    ConfigOrError<C> parsed;
    try {
      parsed = provider.parseConfig(raw, this);
    } catch (RuntimeException e) {
      return invalid(path + ": the policy's parser threw " + ErrorText.cut(e.toString()));
    }
    if (parsed == null) {
      return invalid(path + ": the policy's parser returned null");
    }
    if (!parsed.isOk()) {
      return invalid(path + ": " + ErrorText.cut(parsed.status().description().orElse(parsed.status().code().name())));
    }
    return ConfigOrError.of(ChildPolicy.of(provider, parsed.config().orElseThrow()));
  }

  private static ConfigOrError<ChildPolicy<?>> invalid(String message) {
    return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription(message));
  }
}
