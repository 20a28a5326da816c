package dev.switchboard.channel.core.internal.transport;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.core.ChannelBuilder;
import java.util.function.BiConsumer;

/**
 * Gives a {@link ChannelBuilder} another transport from outside its package: what core's own tests
 * do through the builder's package-private {@code transportFactory}, for code that runs on the class
 * path and cannot share that package (the benchmarks' channel over connections that turn READY
 * without a network). Not API: this package is not exported, so on the module path only core
 * reaches it.
 *
 * <p>The builder registers its setter from its class initializer (the JDK's "shared secrets"
 * pattern), so no reflection is involved.
 *
 * <p>Thread-safe.
 */
public final class TransportFactoryOverride {
  private static volatile BiConsumer<ChannelBuilder, ClientTransportFactory> setter;

  private TransportFactoryOverride() {}

  /**
   * Called by {@link ChannelBuilder}'s class initializer. The first setter stays; later calls are
   * ignored (never an exception, which would break the builder's class initialization).
   */
  public static synchronized void register(BiConsumer<ChannelBuilder, ClientTransportFactory> builderSetter) {
    requireNonNull(builderSetter, "builderSetter");
    if (setter == null) {
      setter = builderSetter;
    }
  }

  /**
   * Makes channels built by {@code builder} use {@code factory} instead of Netty; they close it
   * when they terminate.
   *
   * @return {@code builder}
   */
  public static ChannelBuilder set(ChannelBuilder builder, ClientTransportFactory factory) {
    requireNonNull(builder, "builder"); // an instance exists, so the class initializer has run
    requireNonNull(factory, "factory");
    setter.accept(builder, factory);
    return builder;
  }
}
