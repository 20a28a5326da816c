/**
 * The {@code round_robin} load balancing policy, as grpc-java and grpc-go implement it: one subconn
 * per resolved address, every one connected eagerly, and calls rotated over the {@code READY} ones.
 *
 * <p>Select it with a service config, {@code {"loadBalancingConfig":[{"round_robin":{}}]}}, or as
 * the channel builder's default policy. The policy has no options: its config is {@code {}}, and
 * unknown fields are ignored.
 *
 * <p>This module is a plugin like any third party's: it requires only the channel API, exports
 * nothing, and declares its provider here and in {@code META-INF/services}, so that it also works
 * on the class path.
 *
 * @provides dev.switchboard.channel.api.balancer.BalancerProvider the {@code round_robin} policy
 * @since 0.1
 */
module dev.switchboard.balancer.roundrobin {
  requires dev.switchboard.channel.api;

  provides dev.switchboard.channel.api.balancer.BalancerProvider
      with dev.switchboard.balancer.roundrobin.internal.RoundRobinBalancerProvider;
}
