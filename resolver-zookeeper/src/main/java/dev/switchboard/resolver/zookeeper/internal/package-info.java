/** The {@code zk} resolver's implementation: not exported. */
package dev.switchboard.resolver.zookeeper.internal;
