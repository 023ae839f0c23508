package io.intentpipeline.pipeline;

import io.intentpipeline.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * One training run at a time, across every trigger and every function instance: a PostgreSQL
 * session-level advisory lock held on a connection of its own for the whole run.
 *
 * <p>The lock belongs to the session, so it cannot outlive it: when the run ends it is released
 * and the connection closed; when the function crashes or times out, its process and socket die
 * and the server ends the session; when the network is cut, the server's TCP keepalives (set
 * short on this session) end it within about a minute. A run never holds the lock for good.
 */
public final class TrainingLock implements AutoCloseable {
  /**
   * The advisory lock key of training runs: an arbitrary constant ("trai" and "n run" in ASCII),
   * unique among the advisory locks of this database.
   */
  public static final long KEY = 0x7472_6169_6E72_756EL & Long.MAX_VALUE;

  private final Connection session;

  private TrainingLock(Connection session) {
    this.session = session;
  }

  /** Takes the lock on a new session of {@code database}, or returns empty when another session holds it. */
  public static Optional<TrainingLock> tryAcquire(Database database) throws SQLException {
    Connection session = database.dedicated("training-lock");
    try {
      try (Statement s = session.createStatement()) {
        // Server-side keepalives: a client that vanished without closing its socket (network cut,
        // frozen host) is noticed after ~30 s idle + 3 probes 10 s apart, and its lock released.
        s.execute("SET tcp_keepalives_idle = 30");
        s.execute("SET tcp_keepalives_interval = 10");
        s.execute("SET tcp_keepalives_count = 3");
      }
      boolean acquired;
      try (PreparedStatement s = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        s.setLong(1, KEY);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          acquired = rs.getBoolean(1);
        }
      }
      if (!acquired) {
        session.close();
        return Optional.empty();
      }
      return Optional.of(new TrainingLock(session));
    } catch (SQLException | RuntimeException e) {
      try {
        session.close();
      } catch (SQLException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /** Whether some session of the database {@code connection} is on holds the training lock now. */
  public static boolean isHeld(Connection connection) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks"
        + " WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1)")) {
      // A bigint advisory key shows in pg_locks as its high half in classid, low half in objid.
      s.setLong(1, KEY >>> 32);
      s.setLong(2, KEY & 0xFFFF_FFFFL);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Whether this lock's session is alive and still holds the lock (checked before deploying). */
  public boolean stillHeld() {
    try {
      if (session.isClosed() || !session.isValid(5)) {
        return false;
      }
      try (PreparedStatement s = session.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks"
          + " WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()"
          + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1)")) {
        s.setLong(1, KEY >>> 32);
        s.setLong(2, KEY & 0xFFFF_FFFFL);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        }
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /** Releases the lock and closes its session. */
  @Override
  public void close() {
    try (session) {
      if (!session.isClosed()) {
        try (PreparedStatement s = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          s.setLong(1, KEY);
          s.execute();
        }
      }
    } catch (SQLException ignored) {
      // closing the session releases the lock as well
    }
  }
}
