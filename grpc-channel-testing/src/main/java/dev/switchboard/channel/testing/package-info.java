/**
 * The Switchboard testing kit.
 *
 * <ul>
 *   <li>{@link dev.switchboard.channel.testing.backend.TestBackend} and
 *       {@link dev.switchboard.channel.testing.backend.TestMethods}, from the module
 *       {@code dev.switchboard.channel.testing.backend} that this one requires transitively: a
 *       small gRPC server on loopback and the methods it serves.
 *   <li>{@link dev.switchboard.channel.testing.ManualClock}: a scheduler and ticker whose time moves
 *       only when the test forwards it; it never runs a task inline.
 *   <li>{@link dev.switchboard.channel.testing.ManualResolver}: the {@code manual} scheme, a resolver
 *       the test drives ({@code manual:///<name>} or {@code ManualResolver.provider()}).
 *   <li>{@link dev.switchboard.channel.testing.FakeResolverClientConn} and
 *       {@link dev.switchboard.channel.testing.FakeBalancerClientConn}: what a resolver or a balancer
 *       talks to in a unit test; they record what they are given and check the threading contract.
 *       The balancer's opens real out-of-band channels (to a test backend), offers the channel's
 *       policies to parent policies, and ends picked calls ({@code finishCall}, {@code
 *       abandonPick}) for tests of per-pick bookkeeping.
 *   <li>{@link dev.switchboard.channel.testing.Targets}: parses a target string exactly as the
 *       channel does; {@link dev.switchboard.channel.testing.GeneratedInput}: seeded bad targets
 *       and service configs for fuzz tests.
 *   <li>A test backend serves methods a test registers ({@code TestBackend.Builder.method} with a
 *       {@link dev.switchboard.channel.testing.backend.MethodHandler}): a fake load balancer, any
 *       service.
 *   <li>{@link dev.switchboard.channel.testing.ResolverProviderContractTest} and
 *       {@link dev.switchboard.channel.testing.BalancerProviderContractTest}: abstract JUnit 5 tests
 *       every provider module extends; {@link dev.switchboard.channel.testing.ServiceDeclarations}
 *       checks that {@code provides} and {@code META-INF/services} agree.
 * </ul>
 *
 * <p>{@code FakeBalancerClientConn.Update} is a record: a (state, picker) pair, closed for good.
 * The kit's other value types are classes.
 *
 * <p>Each type states its threading. Waits take a timeout and fail with an {@link AssertionError}
 * that says what was expected and what arrived instead.
 *
 * <p>Provider modules usually put this module on the test class path. A module that
 * {@code requires} it on the module path (as its own tests do) needs, in surefire's {@code argLine},
 * {@code --add-exports org.junit.platform.commons/org.junit.platform.commons.util=ALL-UNNAMED},
 * the same for {@code org.junit.platform.commons.logging}, and {@code --add-opens} of its test
 * packages to {@code org.junit.platform.commons}: see this module's {@code pom.xml}.
 *
 * @since 0.1
 */
package dev.switchboard.channel.testing;
