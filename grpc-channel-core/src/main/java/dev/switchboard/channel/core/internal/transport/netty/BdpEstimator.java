package dev.switchboard.channel.core.internal.transport.netty;

/**
 * Sizes a connection's receive windows to what the link carries, as grpc-java's and grpc-go's
 * BDP flow control do: a PING goes out with a DATA read, the bytes read until its acknowledgement
 * estimate the bandwidth-delay product, and while bandwidth still grows and twice the estimate is
 * more than the window, the window becomes twice the estimate, up to {@value #MAX_WINDOW} bytes.
 * With a window the link cannot fill, a stream's throughput is one window per round trip.
 *
 * <p>Once the window stops growing, pings thin out: after {@code k} samples in a row that changed
 * nothing, the next ping waits until {@code k} half-windows of data have been read (at most
 * {@value #MAX_BACKOFF}), so a settled connection pings about once per five windows of data, and a
 * connection that reads little data almost never.
 *
 * <p>Not thread-safe: the connection's event loop only. Times are {@link System#nanoTime()}
 * values passed in, so tests drive them.
 */
final class BdpEstimator {

  /** The largest window the estimate grows to: 8 MiB, grpc-java's. */
  static final int MAX_WINDOW = 8 * 1024 * 1024;
  /** The payload of a BDP ping; keepalive pings carry a send time instead. */
  static final long PING_PAYLOAD = 0x5357_4244_5050_494EL; // "SWBDPPIN"
  /** The most half-windows of data between two pings once the window settled. */
  static final int MAX_BACKOFF = 10;

  private int window;
  private boolean pinging;
  private long pingSentNanos;
  private long bytesSincePing;
  /** Bytes per second of the sample that last grew the window. */
  private long lastBandwidth;
  /** Samples in a row that did not grow the window, at most {@link #MAX_BACKOFF}. */
  private int backoff;

  BdpEstimator(int initialWindow) {
    this.window = initialWindow;
  }

  /** The window the estimate has reached (the initial window until it grows). */
  int window() {
    return window;
  }

  /**
   * Counts {@code bytes} (a DATA frame's payload and padding) read at {@code nowNanos}; returns
   * true if a BDP ping should go out now. The bytes of the read that sends the ping count towards
   * its sample (as grpc-java's), so a burst that starts a connection is measured from its start.
   */
  boolean onData(int bytes, long nowNanos) {
    boolean ping = !pinging && (bytesSincePing + bytes) * 2 >= (long) window * backoff;
    if (ping) {
      pinging = true;
      pingSentNanos = nowNanos;
      bytesSincePing = 0;
    }
    bytesSincePing += bytes;
    return ping;
  }

  /**
   * The BDP ping was acknowledged at {@code nowNanos}: returns the window to grow to, or 0 to keep
   * the current one (also for an acknowledgement of a ping not sent, which a peer may not send).
   */
  int onPingAck(long nowNanos) {
    if (!pinging) {
      return 0;
    }
    pinging = false;
    long elapsedNanos = Math.max(1, nowNanos - pingSentNanos);
    long bandwidth = (long) (bytesSincePing * (1e9 / elapsedNanos));
    long target = Math.min(bytesSincePing * 2, MAX_WINDOW);
    if (bandwidth <= lastBandwidth || target <= window) {
      backoff = Math.min(backoff + 1, MAX_BACKOFF);
      return 0;
    }
    backoff = 0;
    lastBandwidth = bandwidth;
    window = (int) target;
    return window;
  }
}
