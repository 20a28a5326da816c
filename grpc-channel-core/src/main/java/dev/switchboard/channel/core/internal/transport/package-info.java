/**
 * The seam between the channel and its connections: {@link
 * dev.switchboard.channel.core.internal.transport.ManagedClientTransport} and {@link
 * dev.switchboard.channel.core.internal.transport.ClientStream}. The HTTP/2 transport on Netty
 * implements it in production; tests use an in-memory implementation.
 */
package dev.switchboard.channel.core.internal.transport;
