package dev.switchboard.channel.core.internal.config;

// STUB until main lands: delete before merging main.
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import java.util.Map;
import java.util.Optional;

/** STUB. */
public final class ParsedServiceConfig implements ServiceConfig {
  /** Stub. */
  public static final ParsedServiceConfig EMPTY = new ParsedServiceConfig("{}", null, Map.of(), MethodConfig.EMPTY);

  /** Stub. */
  public record PolicySelection(BalancerProvider provider, Object config) {}

  private final String json;
  private final PolicySelection policy;
  private final Map<String, MethodConfig> methods;
  private final MethodConfig global;

  ParsedServiceConfig(String json, PolicySelection policy, Map<String, MethodConfig> methods, MethodConfig global) {
    this.json = json;
    this.policy = policy;
    this.methods = methods;
    this.global = global;
  }

  @Override
  public String json() {
    return json;
  }

  /** Stub. */
  public Optional<PolicySelection> loadBalancingPolicy() {
    return Optional.ofNullable(policy);
  }

  /** Stub. */
  public MethodConfig methodConfig(MethodDescriptor<?, ?> method) {
    MethodConfig m = methods.get(method.fullMethodName());
    if (m == null) {
      m = methods.get(method.serviceName());
    }
    return m != null ? m : global;
  }
}
