/**
 * The types shared by applications, the channel and its plugins: {@link
 * dev.switchboard.channel.api.Status}, {@link dev.switchboard.channel.api.Metadata}, {@link
 * dev.switchboard.channel.api.MethodDescriptor}, {@link dev.switchboard.channel.api.CallOptions},
 * {@link dev.switchboard.channel.api.Channel} and {@link dev.switchboard.channel.api.ClientCall}.
 *
 * <p>The SPIs are in {@code …api.resolver} and {@code …api.balancer}.
 *
 * @since 0.1
 */
package dev.switchboard.channel.api;
