package dev.switchboard.resolver.zookeeper.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * One ZooKeeper session (a started {@link CuratorFramework}) per ensemble, chroot and timeouts,
 * shared by every resolver of this class loader that asks for it, and closed when the last one lets
 * it go: 100 channels to 10 services of one ensemble hold one session.
 *
 * <p>Thread-safe.
 */
final class ZookeeperSessions {

  /** What makes two sessions the same. */
  static final class Key {
    final String connectString;
    final Duration sessionTimeout;
    final Duration connectionTimeout;

    Key(String connectString, Duration sessionTimeout, Duration connectionTimeout) {
      this.connectString = requireNonNull(connectString, "connectString");
      this.sessionTimeout = requireNonNull(sessionTimeout, "sessionTimeout");
      this.connectionTimeout = requireNonNull(connectionTimeout, "connectionTimeout");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).connectString.equals(connectString)
          && ((Key) o).sessionTimeout.equals(sessionTimeout) && ((Key) o).connectionTimeout.equals(connectionTimeout);
    }

    @Override
    public int hashCode() {
      return Objects.hash(connectString, sessionTimeout, connectionTimeout);
    }

    @Override
    public String toString() {
      return connectString;
    }
  }

  /** A resolver's hold on a session; {@link #release} once. Not thread-safe. */
  static final class Lease {
    private final Key key;
    private final CuratorFramework client;
    private boolean released;

    private Lease(Key key, CuratorFramework client) {
      this.key = key;
      this.client = client;
    }

    CuratorFramework client() {
      return client;
    }

    Key key() {
      return key;
    }

    /** Lets the session go; the last lease's release closes it (off the caller's thread). */
    void release() {
      if (!released) {
        released = true;
        ZookeeperSessions.release(key);
      }
    }
  }

  private static final class Shared {
    final CuratorFramework client;
    int leases;

    Shared(CuratorFramework client) {
      this.client = client;
    }
  }

  private static final Map<Key, Shared> SESSIONS = new HashMap<>();

  // Retries of one operation while the connection is away; the cache's watch outlives them and
  // re-reads everything when the session is back.
  private static final int RETRY_BASE_MILLIS = 100;
  private static final int RETRY_MAX_MILLIS = 2_000;
  private static final int RETRIES = 20;

  private ZookeeperSessions() {}

  /** Returns a lease on the session for {@code key}, starting one if there is none. */
  static Lease acquire(Key key) {
    synchronized (SESSIONS) {
      Shared shared = SESSIONS.get(key);
      if (shared == null) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
            .connectString(key.connectString)
            .sessionTimeoutMs(Math.toIntExact(key.sessionTimeout.toMillis()))
            .connectionTimeoutMs(Math.toIntExact(key.connectionTimeout.toMillis()))
            .retryPolicy(new ExponentialBackoffRetry(RETRY_BASE_MILLIS, RETRIES, RETRY_MAX_MILLIS))
            .build();
        client.start();
        shared = new Shared(client);
        SESSIONS.put(key, shared);
      }
      shared.leases++;
      return new Lease(key, shared.client);
    }
  }

  private static void release(Key key) {
    CuratorFramework toClose;
    synchronized (SESSIONS) {
      Shared shared = SESSIONS.get(key);
      if (shared == null || --shared.leases > 0) {
        return;
      }
      SESSIONS.remove(key);
      toClose = shared.client;
    }
    // Closing ends the session with a round trip to ZooKeeper, or waits out a timeout when it is
    // unreachable: not on the thread of a channel's shutdown.
    Thread closer = new Thread(toClose::close, "switchboard-zk-close");
    closer.setDaemon(true);
    closer.start();
  }

  /** Returns how many sessions are open. For tests. */
  static int openSessions() {
    synchronized (SESSIONS) {
      return SESSIONS.size();
    }
  }

  /** Returns the session for {@code connectString}, if one is open. For tests. */
  static java.util.Optional<CuratorFramework> session(String connectString) {
    synchronized (SESSIONS) {
      return SESSIONS.entrySet().stream().filter(e -> e.getKey().connectString.equals(connectString))
          .map(e -> e.getValue().client).findFirst();
    }
  }
}
