package dev.switchboard.channel.core.internal.builtin;

/**
 * The parsed config of {@code pick_first}: {@code {"shuffleAddressList": true|false}}.
 *
 * <p>Immutable.
 *
 * @param shuffleAddressList whether to try the addresses in a random order (gRFC A62)
 */
public record PickFirstConfig(boolean shuffleAddressList) {
  /** The config of {@code {}}: the addresses in the resolver's order. */
  public static final PickFirstConfig DEFAULT = new PickFirstConfig(false);
}
