package dev.switchboard.channel.core;

/**
 * Keeps the exported package non-empty on the transport branch, so that the module compiles before
 * the channel's public classes land. Delete it when merging with the channel branch.
 *
 * <p>Immutable.
 */
final class TransportBranchPlaceholder {
  private TransportBranchPlaceholder() {}
}
