package dev.switchboard.resolver.zookeeper;

import dev.switchboard.channel.api.Attributes;
import java.util.List;
import java.util.Map;

/**
 * What the {@code zk} resolver tells the balancer about each instance, as balancer-only attributes
 * of its address ({@code Address.balancerAttributes()}), and what it tells about the registry, as
 * attributes of the state ({@code ResolverState.attributes()}).
 *
 * <p>Immutable: only constants.
 *
 * @since 0.1
 */
public final class ZookeeperAttributes {

  /** The instance's znode, such as {@code /services/orders/4f1c…}. Always set. */
  public static final Attributes.Key<String> ZNODE = Attributes.Key.create("zk.znode");

  /**
   * The instance's id: the {@code id} of a Curator {@code ServiceInstance}, the znode's name for a
   * ServerSet member. Always set.
   */
  public static final Attributes.Key<String> INSTANCE_ID = Attributes.Key.create("zk.instance-id");

  /**
   * The instance's metadata, names to values as text: the {@code metadata} object of its payload
   * when there is one (Spring Cloud Zookeeper's {@code ZookeeperInstance}), otherwise the payload's
   * own top-level fields that are strings, numbers or booleans ({@code @class} left out); for a
   * ServerSet member, its {@code shard}. Set when not empty.
   */
  public static final Attributes.Key<Map<String, String>> METADATA = Attributes.Key.create("zk.metadata");

  /** The metadata's {@code zone}, when set. */
  public static final Attributes.Key<String> ZONE = Attributes.Key.create("zk.zone");

  /** The metadata's {@code weight}, when it is a whole number from 1 to 2³¹-1. */
  public static final Attributes.Key<Integer> WEIGHT = Attributes.Key.create("zk.weight");

  /**
   * On the state: the instances left out because their znode did not hold a usable instance, one
   * entry per znode, {@code "<znode>: <what is wrong>"}, sorted. Set when not empty. Instances that
   * are disabled ({@code enabled: false}) or not {@code ALIVE} are left out without an entry.
   */
  public static final Attributes.Key<List<String>> SKIPPED_INSTANCES = Attributes.Key.create("zk.skipped-instances");

  private ZookeeperAttributes() {}
}
