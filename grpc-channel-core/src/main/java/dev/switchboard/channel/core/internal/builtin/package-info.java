/**
 * The providers built into core: the {@code passthrough} resolver and the {@code pick_first}
 * balancer. They are found like any plugin, through {@code provides} in core's module descriptor
 * and {@code META-INF/services}.
 *
 * <p>Decisions: {@code passthrough} resolves host names (not only IP literals) with
 * {@link java.net.InetAddress} on the resolver's offload executor, as grpc-java's does.
 * {@code pick_first} follows grpc-java's older {@code PickFirstLoadBalancer}: one subconn over all
 * addresses, sticky {@code TRANSIENT_FAILURE}, re-resolution on failure (the channel itself re-resolves when a READY connection is lost); a resolver
 * error is ignored while the subconn works (an error keeps the last good state).
 */
package dev.switchboard.channel.core.internal.builtin;
