/**
 * The {@code round_robin} policy's implementation; not exported.
 *
 * <p>Decisions where grpc-java and grpc-go differ or are silent:
 *
 * <ul>
 *   <li>TRANSIENT_FAILURE is sticky per subconn (grpc-java): a failed subconn counts as failed
 *       while it retries, until it is READY.
 *   <li>A resolver error fails calls only while there are no subconns or none has ever been READY;
 *       otherwise the current picker stays (the addresses known may still work).
 *   <li>Addresses that are equal (socket address and attributes) share one subconn.
 *   <li>Pickers share one striped counter per balancer and add a random offset each, so building
 *       a picker is O(1) and picks on different cores do not contend.
 * </ul>
 */
package dev.switchboard.balancer.roundrobin.internal;
