/**
 * The entry to the Switchboard channel: build a {@link dev.switchboard.channel.api.ManagedChannel}
 * for a target, with the resolvers and balancers found as JPMS services.
 *
 * @since 0.1
 */
package dev.switchboard.channel.core;
