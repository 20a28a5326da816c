package dev.switchboard.channel.api;

/**
 * Creates calls to one target. The application's entry to making RPCs; interceptors wrap it.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public interface Channel {

  /**
   * Creates a call; nothing is sent until {@link ClientCall#start}. Never throws for a failure of
   * the network or the target: such failures reach the call's listener as a {@link Status}.
   */
  <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions);

  /** Returns the authority sent as {@code :authority} by default, derived from the target. */
  String authority();
}
