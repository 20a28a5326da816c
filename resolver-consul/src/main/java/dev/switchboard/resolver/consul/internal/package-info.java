/** The {@code consul} resolver's implementation: not exported. */
package dev.switchboard.resolver.consul.internal;
