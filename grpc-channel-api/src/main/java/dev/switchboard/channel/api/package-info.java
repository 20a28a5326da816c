/**
 * The types shared by applications, the channel and its plugins: {@link
 * dev.switchboard.channel.api.Status}, {@link dev.switchboard.channel.api.Metadata}, {@link
 * dev.switchboard.channel.api.MethodDescriptor}, {@link dev.switchboard.channel.api.CallOptions},
 * {@link dev.switchboard.channel.api.Channel} and {@link dev.switchboard.channel.api.ClientCall}.
 *
 * <p>The SPIs are in {@code …api.resolver} and {@code …api.balancer}. {@link
 * dev.switchboard.channel.api.PluginOption} types the options applications give plugins; {@link
 * dev.switchboard.channel.api.ErrorText} quotes input in error messages.
 *
 * <h2>Classes, not records</h2>
 *
 * <p>Every value type of this module that may gain a field (in all three packages: {@code Target},
 * {@code Address}, {@code Endpoint}, {@code ResolverState}, {@code ResolverArgs}, {@code
 * ClientConnState}, {@code BalancerArgs}, {@code SubConnState}, {@code DoneInfo}, {@code
 * ChildPolicy}, the variants of {@code PickResult}, …) is a final class with static factories or
 * a builder, so that adding a field breaks no plugin that constructs or reads it. The API has no
 * records: no value of it is closed for good. Contracts the channel implements ({@code
 * ClientConn}, {@code SubConn}, {@code PickInfo}) and the ones plugins implement ({@code
 * PickListener}, {@code Picker}) are interfaces that grow only by default methods.
 *
 * @since 0.1
 */
package dev.switchboard.channel.api;
