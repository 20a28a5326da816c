/**
 * The {@code grpclb} load balancing policy: look-aside load balancing over the grpc.lb.v1 protocol
 * (gRPC's {@code doc/load-balancing.md}, gRFCs A5, A24, A26), as grpc-java and grpc-go implement it.
 *
 * <p>The policy opens an out-of-band channel to the balancers the resolver found (the DNS
 * resolver's SRV lookup of {@code _grpclb._tcp.<host>}, turned on with {@code
 * DnsResolverOptions.ENABLE_GRPCLB}), asks for the service's servers with one {@code BalanceLoad}
 * stream, runs its child policy ({@code round_robin} by default, or {@code pick_first}) over the
 * servers the balancer lists, sends each server's {@code lb-token} with every call to it, drops
 * calls where the list says so, and reports client load at the interval the balancer asks for.
 * Without a server list it falls back to the resolver's backend addresses.
 *
 * <p>Select it with a service config:
 *
 * <pre>{@code
 * {"loadBalancingConfig": [{"grpclb": {
 *     "serviceName": "echo.example.com",          // default: the channel's authority
 *     "childPolicy": [{"round_robin": {}}],       // or [{"pick_first": {}}]; default round_robin
 *     "initialFallbackTimeout": "10s"             // default 10 s
 * }}]}
 * }</pre>
 *
 * <p>A plugin like any third party's: it requires the channel API and protobuf (the shared
 * {@code com.google.protobuf} module, which applications also use for their own messages) and
 * nothing of core. The grpc.lb.v1 messages are generated at build time into an internal package,
 * exported to protobuf alone.
 *
 * @provides dev.switchboard.channel.api.balancer.BalancerProvider the {@code grpclb} policy
 * @since 0.1
 */
module dev.switchboard.balancer.grpclb {
  requires dev.switchboard.channel.api;
  requires dev.switchboard.channel.protobuf;
  requires com.google.protobuf;

  // protobuf-java 4 generated code is read by the runtime through its own module.
  exports dev.switchboard.balancer.grpclb.internal.lb.v1 to com.google.protobuf;

  provides dev.switchboard.channel.api.balancer.BalancerProvider
      with dev.switchboard.balancer.grpclb.internal.GrpclbBalancerProvider;
}
