/**
 * An example third-party balancer: the {@code least_request} policy (gRFC A48). Of {@code
 * choiceCount} READY backends chosen at random, each call goes to the one with the fewest calls in
 * flight, counted per pick: up when a pick returns a backend, down when the channel reports that
 * pick done ({@code PickListener.onDone}, which comes exactly once for every pick, used or not).
 *
 * <p>It requires the Switchboard API module and nothing else of Switchboard, exports nothing, and
 * is found through its {@code provides} clause (and {@code META-INF/services} on the class path).
 * Drop its jar into a folder given to {@code switchboard --plugin-path} to use it from the image.
 *
 * @provides dev.switchboard.channel.api.balancer.BalancerProvider the {@code least_request} policy
 * @since 1.0
 */
module com.example.balancer.leastrequest {
  requires dev.switchboard.channel.api;

  provides dev.switchboard.channel.api.balancer.BalancerProvider
      with com.example.balancer.leastrequest.internal.LeastRequestBalancerProvider;
}
