/**
 * The load-balancer SPI: how a channel spreads calls over subconns.
 *
 * <p>A {@link dev.switchboard.channel.api.balancer.BalancerProvider} (a JPMS service, named by
 * policy) creates a {@link dev.switchboard.channel.api.balancer.Balancer} that receives
 * {@link dev.switchboard.channel.api.balancer.ClientConnState}s, creates
 * {@link dev.switchboard.channel.api.balancer.SubConn}s through the channel's
 * {@link dev.switchboard.channel.api.balancer.ClientConn}, and publishes
 * {@link dev.switchboard.channel.api.balancer.Picker}s.
 *
 * <h2>Threading</h2>
 *
 * <ul>
 *   <li>Every call into a balancer, and every subconn state notification, runs serially on the
 *       channel's synchronization context, and never blocks.
 *   <li>{@code Picker.pick} runs concurrently on callers' threads; it must not block or allocate
 *       needlessly.
 *   <li>A callback that throws is caught, logged and turned into {@code TRANSIENT_FAILURE}; it
 *       never kills the channel.
 * </ul>
 *
 * @since 0.1
 */
package dev.switchboard.channel.api.balancer;
