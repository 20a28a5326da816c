package dev.switchboard.resolver.consul;

import dev.switchboard.channel.api.Attributes;
import java.util.List;
import java.util.Map;

/**
 * What the {@code consul} resolver tells the balancer about each instance, as balancer-only
 * attributes of its address ({@code Address.balancerAttributes()}), and about the registry, as
 * attributes of the state.
 *
 * <p>Immutable: only constants.
 *
 * @since 0.1
 */
public final class ConsulAttributes {

  /** The instance's {@code Service.ID}. Always set. */
  public static final Attributes.Key<String> SERVICE_ID = Attributes.Key.create("consul.service-id");

  /** The name of the instance's node ({@code Node.Node}). Set when known. */
  public static final Attributes.Key<String> NODE = Attributes.Key.create("consul.node");

  /** The node's datacenter ({@code Node.Datacenter}). Set when known. */
  public static final Attributes.Key<String> DATACENTER = Attributes.Key.create("consul.datacenter");

  /** {@code Service.Weights.Passing}: the instance's weight while it passes. Set when known. */
  public static final Attributes.Key<Integer> WEIGHT = Attributes.Key.create("consul.weight");

  /** {@code Service.Meta}. Set when not empty. */
  public static final Attributes.Key<Map<String, String>> META = Attributes.Key.create("consul.meta");

  /** {@code Service.Tags}. Set when not empty. */
  public static final Attributes.Key<List<String>> TAGS = Attributes.Key.create("consul.tags");

  /** Whether every check of the instance passes (false only with {@code consul.fallback-to-all}). */
  public static final Attributes.Key<Boolean> PASSING = Attributes.Key.create("consul.passing");

  /**
   * On the state: the instances left out because Consul's answer for them was not usable (no
   * address, a port out of range), {@code "<service id>: <what is wrong>"}. Set when not empty.
   */
  public static final Attributes.Key<List<String>> SKIPPED_INSTANCES =
      Attributes.Key.create("consul.skipped-instances");

  private ConsulAttributes() {}
}
