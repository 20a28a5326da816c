package dev.switchboard.channel.api.stub;

/**
 * A response observer that also configures the call before it starts: pass one to the
 * asynchronous methods of {@link ClientCalls} to turn off automatic requests or to install an
 * on-ready handler before any callback can fire.
 *
 * <p>Not thread-safe: called serially, like any {@link StreamObserver}.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 * @since 0.1
 */
public interface ClientResponseObserver<ReqT, RespT> extends StreamObserver<RespT> {

  /** Called once, on the thread that creates the call, before the call starts. */
  void beforeStart(ClientCallStreamObserver<ReqT> requestStream);
}
