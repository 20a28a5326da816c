/**
 * The channel runtime: {@link dev.switchboard.channel.core.internal.channel.ManagedChannelImpl} and
 * its parts, split by concern.
 *
 * <ul>
 *   <li>{@code ResolverDriver}: the resolver, its thread-safe {@code resolver.ClientConn}, the
 *       choice of service config and policy, re-resolution with backoff.
 *   <li>{@code GracefulSwitch} and {@code ChildBalancer}: the balancer, its
 *       {@code balancer.ClientConn}, policy switches, containment of a balancer that throws.
 *   <li>{@code SubConnImpl}: connections, address order, connect timeout, backoff.
 *   <li>{@code PickerSlot} and {@code ChannelCall}: the current picker, waiting calls, and calls.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * <p>Each channel has one {@link dev.switchboard.channel.api.SynchronizationContext}. Everything
 * that touches the resolver's results, the balancer or a subconn's state runs there, serially and
 * without blocking. Calls pick on the caller's thread with one volatile read of the picker and no
 * lock; a call that must wait takes one lock to enqueue, and is re-picked on the context when the
 * balancer publishes a picker.
 *
 * <h2>Decisions</h2>
 *
 * <ul>
 *   <li>The resolver is created when the channel leaves idle, not at {@code build()}, because
 *       creating a resolver starts it. {@code build()} asks the provider's side-effect-free
 *       {@code checkTarget} instead, so a malformed target still fails construction; a provider
 *       that accepts it there and rejects it in {@code newResolver} fails calls with UNAVAILABLE
 *       naming the problem.
 *   <li>There is no idle timeout: a channel leaves idle once and stays out of it. A lost
 *       connection makes its subconn IDLE and pick_first reconnects on the next pick.
 *   <li>Method config: the deadline is the earlier of the call's and the config's timeout (gRPC's
 *       rule); for wait-for-ready and message sizes the call options win over the config, which
 *       wins over the channel's defaults.
 *   <li>A {@code Complete} pick on a subconn that is not READY (any more) makes the call wait for
 *       the next picker instead of spinning on the same one; picking an IDLE subconn starts its
 *       connection, as grpc-java does.
 *   <li>Refused streams (GOAWAY race, transport not ready) are retried transparently up to
 *       {@code ChannelCall.MAX_TRANSPARENT_RETRIES} times; to replay them, request messages are
 *       copied until the server answers or 1 MiB is buffered.
 *   <li>{@code PickResult.Complete} must carry a subconn created by this channel; a wrapped one
 *       (a {@code ForwardingSubConn}) fails the call INTERNAL, as the API has no way to unwrap it.
 *   <li>Out-of-band channels share the parent's transport factory (they do not close it), are shut
 *       down with the parent, and the parent terminates only after them.
 *   <li>Pick errors with codes only a server may use (gRFC A54) reach calls as INTERNAL naming the
 *       original code, as in grpc-java.
 *   <li>Re-resolution requests reach the resolver at most once a second; later ones in that second
 *       are merged into one.
 *   <li>Out-of-band channels from {@code createResolvingOobChannel} use pick_first, never the
 *       parent's default policy (a look-aside policy must not recurse into itself).
 *   <li>A target of the form {@code x://…} whose scheme has no resolver fails {@code build()}
 *       instead of being handed whole to the default scheme.
 *   <li>After the uncaught-exception handler of the synchronization context has run, the channel is
 *       in TRANSIENT_FAILURE until the balancer publishes again (not a permanent panic mode).
 * </ul>
 */
package dev.switchboard.channel.core.internal.channel;
