package dev.switchboard.channel.core.interop;

import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a call delivers to its response observer, with bounded waits. */
final class ResponseRecorder<T> implements StreamObserver<T> {
  private static final long TIMEOUT_SECONDS = 10;

  private final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Status> closed = new CompletableFuture<>();

  @Override
  public void onNext(T value) {
    messages.add(value);
  }

  @Override
  public void onError(Throwable t) {
    closed.complete(t instanceof StatusException e ? e.status() : Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    closed.complete(Status.OK);
  }

  /** Waits for the next response; fails if none comes within the timeout. */
  T awaitMessage() throws InterruptedException {
    T message = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no response within " + TIMEOUT_SECONDS + " s (closed: " + closed.getNow(null) + ")");
    }
    return message;
  }

  /** Waits for the end of the call and returns its status. */
  Status awaitClose() throws Exception {
    return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Returns the responses received and not yet taken. */
  List<T> remaining() {
    List<T> rest = new ArrayList<>();
    messages.drainTo(rest);
    return rest;
  }
}
