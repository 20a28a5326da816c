package dev.switchboard.channel.core.internal.config;

import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.balancer.ChildPolicy;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import java.util.Map;
import java.util.Optional;

/**
 * A service config as the channel uses it: the chosen load-balancing policy with its parsed config,
 * and the method configs, looked up by exact method, then service, then the global default.
 *
 * <p>Immutable.
 */
public final class ParsedServiceConfig implements ServiceConfig {

  /** The config of a channel that has none. */
  public static final ParsedServiceConfig EMPTY = new ParsedServiceConfig("{}", null, Map.of());

  private final String json;
  private final ChildPolicy<?> policy;
  // Keys: "service/method" for a method, "service/" for a service default, "" for the global one.
  private final Map<String, MethodConfig> methodConfigs;

  ParsedServiceConfig(String json, ChildPolicy<?> policy, Map<String, MethodConfig> methodConfigs) {
    this.json = json;
    this.policy = policy;
    this.methodConfigs = Map.copyOf(methodConfigs);
  }

  @Override
  public String json() {
    return json;
  }

  /** Returns the policy chosen by {@code loadBalancingConfig} or {@code loadBalancingPolicy}. */
  public Optional<ChildPolicy<?>> loadBalancingPolicy() {
    return Optional.ofNullable(policy);
  }

  /** Returns the method config for {@code method}, or {@link MethodConfig#EMPTY}. */
  public MethodConfig methodConfig(MethodDescriptor<?, ?> method) {
    if (methodConfigs.isEmpty()) {
      return MethodConfig.EMPTY;
    }
    MethodConfig c = methodConfigs.get(method.fullMethodName());
    if (c == null) {
      c = methodConfigs.get(method.serviceName() + "/");
    }
    if (c == null) {
      c = methodConfigs.get("");
    }
    return c == null ? MethodConfig.EMPTY : c;
  }

  @Override
  public String toString() {
    return "ParsedServiceConfig{policy=" + (policy == null ? "none" : policy.policyName())
        + ", methodConfigs=" + methodConfigs + "}";
  }
}
