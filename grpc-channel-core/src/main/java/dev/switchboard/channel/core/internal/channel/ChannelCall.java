package dev.switchboard.channel.core.internal.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ClientCall;
import dev.switchboard.channel.api.Deadline;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.DoneInfo;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickListener;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.core.internal.transport.ClientStream;
import dev.switchboard.channel.core.internal.transport.ClientStreamListener;
import dev.switchboard.channel.core.internal.transport.ManagedClientTransport;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call on the channel: picks a connection through the current picker, waits in the
 * {@link PickerSlot} when it cannot, buffers what the application does until a stream exists,
 * and delivers the stream's events to the application's listener.
 *
 * <h2>Picking</h2>
 *
 * <p>The first pick runs on the caller's thread inside {@link #start}; the call is its own
 * {@link PickInfo}, so a pick allocates nothing unless the picker asks for the headers (each pick
 * then gets its own copy of the call's headers to add to, sent only if that pick's stream starts).
 * Headers a result carries ({@link PickResult.Complete#headers()}, built by the picker once) are
 * added when that pick's stream starts, replacing the call's of the same names: one copy per
 * stream, none per pick.
 * {@code Queue}, a {@code Complete} on a subconn that is not READY, and a {@code Fail} for a
 * wait-for-ready call make the call wait for the next picker; {@code Fail} fails a fail-fast call
 * and {@code Drop} fails every call.
 *
 * <p>Every {@code Complete} gets exactly one {@link PickListener#onDone}: from its stream's end, or
 * at once with {@link DoneInfo#notStarted} when the pick is not used (subconn not READY, call
 * closed, picker's subconn not this channel's). Picks of one call run one at a time.
 *
 * <h2>Transparent retry</h2>
 *
 * <p>A stream that closes with {@link ClientStreamListener.RpcProgress#REFUSED} never reached the
 * server's application, so the call is picked again and what the application had done is replayed
 * on the new stream, at most {@value #MAX_TRANSPARENT_RETRIES} times. To replay, the call keeps a
 * reference to each request message (not a copy: a replay serializes it again, as grpc-java's
 * retries do) until the server answers or {@value #REPLAY_BUFFER_BYTES} serialized bytes are kept;
 * after that a refused stream fails the call.
 *
 * <h2>Threading</h2>
 *
 * <p>The application drives the call serially (except {@link #cancel}, from any thread); picks
 * after the first run on the synchronization context; stream events come from the transport's
 * thread. The call's mutable state is guarded by its monitor, which is held while the stream is
 * driven so that buffered and new operations reach the stream in order; transports never call a
 * stream listener while holding a lock of their own, so this cannot deadlock. Listener callbacks
 * run serially on the call's executor, and {@code onClose} is always the last. The events of one
 * transport read (a unary response's headers, message and trailers) are handed to the executor
 * together, so a blocked caller is woken once for them.
 */
final class ChannelCall<ReqT, RespT> extends ClientCall<ReqT, RespT> implements PickInfo {
  private static final System.Logger LOG = System.getLogger(ChannelCall.class.getName());

  static final int MAX_TRANSPARENT_RETRIES = 5;
  static final long REPLAY_BUFFER_BYTES = 1 << 20;

  private final ManagedChannelImpl channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions callOptions;
  private final SerializingExecutor callbackExecutor;
  private final boolean waitForReady;
  private final int maxInboundMessageSize;

  /** Set by {@link #start}, before any pick. */
  private volatile Metadata headers;
  /** The headers of the pick in progress, copied from {@link #headers} when the picker asks. */
  private Metadata pickHeaders;
  private volatile boolean closed;
  /** The call asked the picker slot to wait at least once: only then does closing touch the slot. */
  private volatile boolean everQueued;
  private volatile ScheduledFuture<?> deadlineTimer;
  // Written in start() before any callback can be queued; read on the callback executor.
  private Listener<RespT> listener;
  // Only touched on the callback executor.
  private boolean listenerClosed;

  // Guarded by this. Null until something is recorded.
  private List<Op<ReqT>> ops;
  /** Written under this; volatile so that a stream event after the commit skips the monitor. */
  private volatile boolean retryable = true;
  private long bufferedBytes;
  private ClientStream stream;
  private Attempt attempt;
  private Status closeStatus;
  private Metadata closeTrailers;
  private boolean started;
  private boolean halfClosed;
  private int refusedAttempts;

  ChannelCall(
      ManagedChannelImpl channel,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions effectiveOptions,
      int maxInboundMessageSize) {
    this.channel = channel;
    this.method = method;
    this.callOptions = effectiveOptions;
    this.waitForReady = effectiveOptions.isWaitForReady();
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.callbackExecutor =
        new SerializingExecutor(effectiveOptions.executor().orElse(channel.settings().executor()));
  }

  // ---- PickInfo ----

  @Override
  public MethodDescriptor<?, ?> method() {
    return method;
  }

  @Override
  public CallOptions callOptions() {
    return callOptions;
  }

  @Override
  public Metadata headers() {
    Metadata forThisPick = pickHeaders;
    if (forThisPick == null) {
      forThisPick = new Metadata();
      forThisPick.merge(headers);
      pickHeaders = forThisPick;
    }
    return forThisPick;
  }

  // ---- ClientCall ----

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    requireNonNull(listener, "listener");
    requireNonNull(headers, "headers");
    Status earlyClose;
    Metadata earlyTrailers;
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("call already started");
      }
      started = true;
      this.listener = listener;
      this.headers = withExtraHeaders(headers);
      earlyClose = closeStatus;
      earlyTrailers = closeTrailers;
    }
    channel.callStarted(this);
    if (earlyClose != null) {
      // Cancelled before start: the listener still hears onClose.
      deliverClose(earlyClose, earlyTrailers);
      return;
    }
    if (channel.isShutdown()) {
      closeCall(PickerSlot.SHUT_DOWN_STATUS, new Metadata());
      return;
    }
    Deadline deadline = callOptions.deadline().orElse(null);
    if (deadline != null) {
      long remaining = deadline.timeRemaining(TimeUnit.NANOSECONDS);
      if (remaining <= 0) {
        closeCall(
            Status.DEADLINE_EXCEEDED.withDescription(
                "deadline exceeded before the call started (" + method.fullMethodName() + ")"),
            new Metadata());
        return;
      }
      deadlineTimer =
          channel.scheduler().schedule(() -> onDeadline(remaining), remaining, TimeUnit.NANOSECONDS);
    }
    channel.exitIdleIfNeeded();
    pickAndStart(channel.pickerSlot().current());
  }

  /**
   * Returns {@code headers} followed by the call options' extra headers. The transport sends only
   * what it is given, so this is where {@code CallOptions.withExtraHeaders} takes effect; a copy,
   * because the caller's metadata is the caller's.
   */
  private Metadata withExtraHeaders(Metadata headers) {
    Metadata extra = callOptions.extraHeaders().orElse(null);
    if (extra == null) {
      return headers;
    }
    Metadata merged = new Metadata();
    merged.merge(headers);
    merged.merge(extra);
    return merged;
  }

  @Override
  public void request(int numMessages) {
    if (numMessages < 0) {
      throw new IllegalArgumentException("numMessages: " + numMessages + " (expected: >= 0)");
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      record(new Op.Request<>(numMessages));
      if (stream != null) {
        stream.request(numMessages);
      }
    }
  }

  @Override
  public void sendMessage(ReqT message) {
    Status failure = null;
    synchronized (this) {
      if (halfClosed) {
        throw new IllegalStateException("sendMessage after halfClose");
      }
      if (closed) {
        return;
      }
      try {
        InputStream serialized = method.streamRequest(message);
        if (stream != null && !retryable) {
          stream.writeMessage(serialized);
          return;
        }
        record(new Op.Message<>(message));
        // The size before the stream takes the bytes; exact for byte arrays and protobuf.
        bufferedBytes += Math.max(serialized.available(), 0);
        if (stream != null) {
          stream.writeMessage(serialized);
        } else {
          serialized.close();
        }
        if (retryable && bufferedBytes > REPLAY_BUFFER_BYTES) {
          commit();
        }
      } catch (IOException | RuntimeException e) {
        failure = serializationFailure(e);
      }
    }
    if (failure != null) {
      cancelWith(failure);
    }
  }

  @Override
  public void halfClose() {
    synchronized (this) {
      if (halfClosed) {
        throw new IllegalStateException("halfClose already called");
      }
      halfClosed = true;
      if (closed) {
        return;
      }
      record(new Op.HalfClose<>());
      if (stream != null) {
        stream.halfClose();
      }
    }
  }

  @Override
  public void cancel(String message, Throwable cause) {
    Status status = Status.CANCELLED.withDescription(message != null ? message : "call cancelled");
    cancelWith(cause != null ? status.withCause(cause) : status);
  }

  @Override
  public synchronized boolean isReady() {
    return !closed && stream != null && stream.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    synchronized (this) {
      if (closed) {
        return;
      }
      record(new Op.Compression<>(enabled));
      if (stream != null) {
        stream.setMessageCompression(enabled);
      }
    }
  }

  /**
   * Returns the attributes of the connection of the current (or last) stream: the transport built
   * them once when it connected, so this allocates nothing. Empty while the call has no stream.
   */
  @Override
  public Attributes attributes() {
    ClientStream current;
    synchronized (this) {
      current = stream;
    }
    return current == null ? Attributes.EMPTY : current.attributes();
  }

  // ---- picking ----

  /** Picks with {@code version}, and waits for newer pickers while that gives no connection. */
  void pickAndStart(PickerSlot.Version version) {
    PickerSlot slot = channel.pickerSlot();
    for (;;) {
      if (closed || tryPick(version, false)) {
        return;
      }
      everQueued = true; // before enqueueing: closeCall or this thread removes it, or both
      switch (slot.enqueue(this, version)) {
        case QUEUED:
          if (closed) {
            slot.remove(this); // closed while enqueueing: closeCall may have missed it
          }
          return;
        case SHUT_DOWN:
          closeCall(PickerSlot.SHUT_DOWN_STATUS, new Metadata());
          return;
        case REPICK:
          version = slot.current();
          break;
        default:
          throw new AssertionError();
      }
    }
  }

  /** Called by {@link PickerSlot#publish} on the synchronization context for a waiting call. */
  void repickWhileWaiting(PickerSlot.Version version) {
    if (closed) {
      channel.pickerSlot().remove(this);
    } else {
      tryPick(version, true);
    }
  }

  /**
   * Picks once; returns whether the call is dealt with (started or failed) rather than waiting. A
   * call {@code waiting} in the slot first claims itself (see {@link PickerSlot#remove}).
   */
  private boolean tryPick(PickerSlot.Version version, boolean waiting) {
    if (version.picker == null) {
      return false;
    }
    PickResult result;
    pickHeaders = null;
    try {
      result = version.picker.pick(this);
      if (result == null) {
        throw new NullPointerException("pick returned null");
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "picker " + version.picker + " threw", e);
      if (!claim(waiting)) {
        return true;
      }
      closeCall(
          Status.INTERNAL
              .withDescription("picker " + version.picker + " threw: " + e)
              .withCause(e),
          new Metadata());
      return true;
    }
    if (result instanceof PickResult.Complete complete) {
      Metadata streamHeaders = pickHeaders != null ? pickHeaders : headers;
      pickHeaders = null;
      Optional<Metadata> added = complete.headers();
      if (added.isPresent()) {
        streamHeaders = withPickHeaders(streamHeaders, added.get());
      }
      PickListener pickListener = complete.listener();
      SubConnImpl subConn = channel.ownSubConn(complete.subConn());
      if (subConn == null) {
        Status foreign = Status.INTERNAL.withDescription("picker " + version.picker + " returned "
            + complete.subConn() + ", which this channel did not create");
        notStarted(pickListener, foreign);
        if (claim(waiting)) {
          closeCall(foreign, new Metadata());
        }
        return true;
      }
      ManagedClientTransport transport = subConn.obtainActiveTransport();
      if (transport == null) {
        // Not READY (any more): this pick is not used; wait for the next picker.
        notStarted(pickListener, Status.UNAVAILABLE.withDescription(subConn + " is not READY"));
        return false;
      }
      if (!claim(waiting)) {
        notStarted(pickListener, closedStatus());
        return true;
      }
      startAttempt(transport, pickListener, streamHeaders);
      return true;
    }
    if (result instanceof PickResult.Fail fail) {
      if (waitForReady) {
        return false;
      }
      if (!claim(waiting)) {
        return true;
      }
      closeCall(fromControlPlane(fail.status()), new Metadata());
      return true;
    }
    if (result instanceof PickResult.Drop drop) {
      if (!claim(waiting)) {
        return true;
      }
      closeCall(fromControlPlane(drop.status()), new Metadata());
      return true;
    }
    return false;
  }

  /**
   * Returns a pick's error as the call sees it: codes that only a server can mean (gRFC A54:
   * INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE,
   * DATA_LOSS) become INTERNAL, so that an application never mistakes a balancer's or resolver's
   * problem for its server's answer.
   */
  static Status fromControlPlane(Status status) {
    switch (status.code()) {
      case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, DATA_LOSS:
        return Status.INTERNAL
            .withDescription("illegal status code " + status.code() + " from the control plane: "
                + status.description().orElse(""))
            .withCause(status.cause().orElse(null));
      default:
        return status;
    }
  }

  // A waiting call takes itself out of the slot; false if shutdown already took it to fail it.
  private boolean claim(boolean waiting) {
    return !waiting || channel.pickerSlot().remove(this);
  }

  /** Tells a pick's listener that the channel did not use it; a listener that throws is logged. */
  private static void notStarted(PickListener pickListener, Status reason) {
    try {
      pickListener.onDone(DoneInfo.notStarted(reason));
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "onDone of a pick listener threw", e);
    }
  }

  /** Why a closed call (or one that shutdown took from the slot) did not use its pick. */
  private synchronized Status closedStatus() {
    return closeStatus != null ? closeStatus : PickerSlot.SHUT_DOWN_STATUS;
  }

  /**
   * Returns {@code base} with the headers a pick result adds ({@link PickResult.Complete#headers()}):
   * a copy in which each of their names appears only with their values, the call's own of those
   * names dropped. Neither argument is changed.
   */
  static Metadata withPickHeaders(Metadata base, Metadata added) {
    Set<String> replaced = added.keys();
    Metadata out = new Metadata();
    base.forEach(new Metadata.EntryVisitor() {
      @Override
      public void ascii(String name, String value) {
        if (!replaced.contains(name)) {
          out.putAscii(name, value);
        }
      }

      @Override
      public void binary(String name, byte[] value) {
        if (!replaced.contains(name)) {
          out.putBinary(name, value);
        }
      }
    });
    out.merge(added);
    return out;
  }

  private void startAttempt(ManagedClientTransport transport, PickListener pickListener,
      Metadata streamHeaders) {
    Attempt newAttempt = new Attempt(pickListener);
    ClientStream newStream;
    try {
      newStream = transport.newStream(method, streamHeaders, callOptions);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "transport " + transport + " failed to create a stream", e);
      Status status =
          Status.INTERNAL.withDescription("transport " + transport + " failed to create a stream: " + e).withCause(e);
      newAttempt.finish(DoneInfo.notStarted(status));
      closeCall(status, new Metadata());
      return;
    }
    Status replayFailure = null;
    synchronized (this) {
      if (closed) {
        newAttempt.finish(DoneInfo.notStarted(closeStatus));
        return;
      }
      stream = newStream;
      attempt = newAttempt;
      newStream.setMaxInboundMessageSize(maxInboundMessageSize);
      newAttempt.started = true;
      newAttempt.notifyStarted(); // before start(): a stream refused inside start() ends at once
      newStream.start(newAttempt);
      if (ops != null) {
        try {
          for (Op<ReqT> op : ops) {
            op.applyTo(newStream, method);
          }
        } catch (RuntimeException e) {
          replayFailure = serializationFailure(e);
        }
        if (!retryable) {
          ops = null;
        }
      }
    }
    if (replayFailure != null) {
      cancelWith(replayFailure);
    }
  }

  /** The server answered: a refused stream is impossible now, so nothing more is kept for replay. */
  private void commitOnResponse() {
    if (retryable) {
      synchronized (this) {
        commit();
      }
    }
  }

  private Status serializationFailure(Exception e) {
    return Status.INTERNAL
        .withDescription("failed to serialize a request of " + method.fullMethodName() + ": " + e)
        .withCause(e);
  }

  // Guarded by this.
  private void record(Op<ReqT> op) {
    if (stream == null || retryable) {
      if (ops == null) {
        ops = new ArrayList<>(4);
      }
      ops.add(op);
    }
  }

  // Guarded by this: the server answered or the buffer is full; a refused stream is final now.
  private void commit() {
    retryable = false;
    if (stream != null) {
      ops = null;
      bufferedBytes = 0;
    }
  }

  private void attemptClosed(
      Attempt closedAttempt, Status status, ClientStreamListener.RpcProgress progress, Metadata trailers) {
    boolean retry = false;
    synchronized (this) {
      if (closedAttempt != attempt || closed) {
        closedAttempt.finish(closedAttempt.outcome(status, trailers, true));
        return;
      }
      if (progress == ClientStreamListener.RpcProgress.REFUSED
          && retryable
          && refusedAttempts < MAX_TRANSPARENT_RETRIES) {
        refusedAttempts++;
        stream = null;
        attempt = null;
        retry = true;
      }
    }
    if (retry) {
      closedAttempt.finish(closedAttempt.outcome(status, trailers, false));
      // Not inline: this is the transport's thread, possibly inside the refused stream's start().
      channel.settings().offloadExecutor().execute(() -> pickAndStart(channel.pickerSlot().current()));
      return;
    }
    closedAttempt.finish(closedAttempt.outcome(status, trailers,
        progress == ClientStreamListener.RpcProgress.PROCESSED));
    closeCall(deadlineIfExpired(status), trailers);
  }

  /**
   * Returns {@code DEADLINE_EXCEEDED} for a stream cancelled at or after the call's deadline: the
   * server knows the deadline too (grpc-timeout), and when its timer fires before ours it resets
   * the stream with CANCEL. The call failed by its deadline all the same, as grpc-java reports it.
   */
  private Status deadlineIfExpired(Status status) {
    Deadline deadline = callOptions.deadline().orElse(null);
    if (status.code() != Status.Code.CANCELLED || deadline == null || !deadline.isExpired()) {
      return status;
    }
    Status exceeded = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded ("
        + method.fullMethodName() + "): " + status.description().orElse("cancelled") + ", at or after the deadline");
    return status.cause().map(exceeded::withCause).orElse(exceeded);
  }

  // ---- closing ----

  private void onDeadline(long timeoutNanos) {
    boolean waiting;
    synchronized (this) {
      waiting = stream == null;
    }
    cancelWith(
        Status.DEADLINE_EXCEEDED.withDescription(
            "deadline exceeded after " + Duration.ofNanos(timeoutNanos)
                + (waiting ? " while waiting for a connection" : "")
                + " (" + method.fullMethodName() + ")"));
  }

  /** Fails the call with {@code status} and resets its stream, if any. Any thread. */
  void cancelWith(Status status) {
    ClientStream toCancel;
    synchronized (this) {
      if (closed) {
        return;
      }
      toCancel = stream;
    }
    closeCall(status, new Metadata());
    if (toCancel != null) {
      toCancel.cancel(status);
    }
  }

  /** Ends the call once: the listener hears {@code onClose} after every earlier callback. */
  void closeCall(Status status, Metadata trailers) {
    Attempt current;
    boolean wasStarted;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closeStatus = status;
      closeTrailers = trailers;
      current = attempt;
      wasStarted = started;
      ops = null;
    }
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    if (everQueued) {
      channel.pickerSlot().remove(this);
    }
    if (current != null) {
      current.finish(current.outcome(status, trailers, true));
    }
    if (wasStarted) {
      deliverClose(status, trailers);
    }
  }

  private void deliverClose(Status status, Metadata trailers) {
    callbackExecutor.execute(
        () -> {
          try {
            listenerClosed = true;
            listener.onClose(status, trailers);
          } finally {
            channel.callEnded(this);
          }
        });
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "ChannelCall{" + method.fullMethodName() + "}";
  }

  /** One pick's stream of this call; hears its events on the transport's thread. */
  private final class Attempt implements ClientStreamListener {
    private final PickListener pickListener;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean headersReceived;
    /** A stream was started for the pick (set under the call's monitor before {@code start}). */
    private volatile boolean started;

    Attempt(PickListener pickListener) {
      this.pickListener = pickListener;
    }

    /** Tells the pick's listener that its stream starts. */
    void notifyStarted() {
      try {
        pickListener.onStarted();
      } catch (RuntimeException | Error e) {
        LOG.log(Level.ERROR, "onStarted of a pick listener threw", e);
      }
    }

    DoneInfo outcome(Status status, Metadata trailers, boolean sentToServer) {
      return started
          ? DoneInfo.newBuilder(status).trailers(trailers).started(true).sentToServer(sentToServer)
              .receivedFromServer(headersReceived).build()
          : DoneInfo.notStarted(status);
    }

    @Override
    public void headersRead(Metadata responseHeaders) {
      headersReceived = true;
      commitOnResponse();
      callbackExecutor.enqueue(
          () -> {
            if (!listenerClosed) {
              listener.onHeaders(responseHeaders);
            }
          });
    }

    @Override
    public void messageRead(InputStream message) {
      commitOnResponse();
      callbackExecutor.enqueue(
          () -> {
            RespT parsed;
            try (message) {
              if (listenerClosed) {
                return;
              }
              parsed = method.parseResponse(message);
            } catch (IOException | RuntimeException e) {
              cancelWith(
                  Status.INTERNAL
                      .withDescription("failed to parse a response of " + method.fullMethodName() + ": " + e)
                      .withCause(e));
              return;
            }
            listener.onMessage(parsed);
          });
    }

    @Override
    public void onReady() {
      callbackExecutor.enqueue(
          () -> {
            if (!listenerClosed) {
              listener.onReady();
            }
          });
    }

    @Override
    public void closed(Status status, RpcProgress progress, Metadata trailers) {
      attemptClosed(this, status, progress, trailers);
    }

    @Override
    public void eventsDelivered() {
      callbackExecutor.flush();
    }

    void finish(DoneInfo info) {
      if (done.compareAndSet(false, true)) {
        try {
          pickListener.onDone(info);
        } catch (RuntimeException | Error e) {
          LOG.log(Level.ERROR, "onDone of a pick listener threw", e);
        }
      }
    }
  }

  /** What the application did before the stream existed, replayed on each new stream. */
  private sealed interface Op<ReqT> {
    void applyTo(ClientStream stream, MethodDescriptor<ReqT, ?> method);

    record Request<ReqT>(int count) implements Op<ReqT> {
      @Override
      public void applyTo(ClientStream stream, MethodDescriptor<ReqT, ?> method) {
        stream.request(count);
      }
    }

    /** A request message, serialized again for each stream. */
    record Message<ReqT>(ReqT message) implements Op<ReqT> {
      @Override
      public void applyTo(ClientStream stream, MethodDescriptor<ReqT, ?> method) {
        stream.writeMessage(method.streamRequest(message));
      }
    }

    record HalfClose<ReqT>() implements Op<ReqT> {
      @Override
      public void applyTo(ClientStream stream, MethodDescriptor<ReqT, ?> method) {
        stream.halfClose();
      }
    }

    record Compression<ReqT>(boolean enabled) implements Op<ReqT> {
      @Override
      public void applyTo(ClientStream stream, MethodDescriptor<ReqT, ?> method) {
        stream.setMessageCompression(enabled);
      }
    }
  }
}
