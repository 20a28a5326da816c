/**
 * The {@code grpclb} policy's implementation; not exported (the generated grpc.lb.v1 messages in
 * {@code lb.v1} are exported to {@code com.google.protobuf} only).
 *
 * <p>Decisions where grpc-java and grpc-go differ or are silent:
 *
 * <ul>
 *   <li>The child policy comes from the channel's registry ({@code round_robin} by default, or
 *       {@code pick_first}) and runs directly under grpclb (not in a {@code
 *       GracefulSwitchBalancer}: a new config starts grpclb over, so the policy never switches,
 *       and the child's picks then return grpclb's own subconns, found without a lookup); grpclb
 *       keeps only the drop turn, the tokens and the counting. So, as in grpc-go, a server listed
 *       twice gets one subconn (grpc-java gives it two turns).
 *   <li>The drop turn is one counter while calls are picked one after the other, as in grpc-java
 *       and grpc-go; once concurrent picks meet on it, it splits into stripes, each walking the
 *       whole list, so the drop share holds without the threads fighting over one counter.
 *   <li>An empty token sends no {@code lb-token} header (grpc-go); any {@code lb-token} the call
 *       had is replaced, so a call carries exactly one.
 *   <li>With {@code pick_first}, calls carry the token of the server its one subconn is connected
 *       to ({@code SubConnState.address()} of READY, as grpc-java reads the connected address's
 *       attributes).
 *   <li>Fallback calls are neither tokened nor counted (grpc-java).
 *   <li>New balancer addresses from the resolver open a new channel and stream (grpc-java updates
 *       the addresses of its channel).
 * </ul>
 */
package dev.switchboard.balancer.grpclb.internal;
