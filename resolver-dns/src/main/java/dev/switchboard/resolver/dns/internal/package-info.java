/**
 * The {@code dns} resolver's machinery: target parsing ({@code DnsTarget}), netty-based lookups
 * ({@code NettyDnsLookup}), gRFC A2 service config choice ({@code ServiceConfigChoices}), the
 * resolver with its re-resolution rate limit ({@code DnsResolver}) and the provider. Not exported.
 */
package dev.switchboard.resolver.dns.internal;
