package io.intentpipeline.storage;

import io.intentpipeline.config.Env;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL connections over plain JDBC.
 *
 * <p>A Lambda container serves one invocation at a time, so it keeps one connection and reuses
 * it across invocations; the local stack serves requests concurrently and allows a few. A
 * connection that died between two uses (server restart, idle timeout, network cut) is detected
 * with a validity check and replaced before the work runs.
 */
public final class Database implements AutoCloseable {
  /** How to reach the database. {@code password} may be empty (trust or IAM authentication). */
  public record Settings(String url, String user, String password, int maxConnections) {
    public Settings {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw new io.intentpipeline.config.ConfigException(
            "DATABASE_URL must be a JDBC URL starting with jdbc:postgresql:, got '" + url + "'");
      }
    }

    /** Never shows the password (the record's own would). */
    @Override
    public String toString() {
      return "Settings[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***")
          + ", maxConnections=" + maxConnections + "]";
    }

    /**
     * DATABASE_URL (required), DATABASE_MAX_CONNECTIONS, and the login: from the Secrets Manager
     * secret named by DATABASE_SECRET_ARN (read now, once), else DATABASE_USER and
     * DATABASE_PASSWORD; setting both ways fails, naming the variables.
     */
    public static Settings fromEnv(Env env) {
      String url = env.required("DATABASE_URL");
      int maxConnections = env.integer("DATABASE_MAX_CONNECTIONS", 1, 1, 64);
      var secret = env.optional(DatabaseSecret.VARIABLE);
      if (secret.isPresent()) {
        if (env.optional("DATABASE_USER").isPresent() || env.optional("DATABASE_PASSWORD").isPresent()) {
          throw new io.intentpipeline.config.ConfigException("Set either " + DatabaseSecret.VARIABLE
              + " or DATABASE_USER and DATABASE_PASSWORD, not both");
        }
        DatabaseSecret.Login login = DatabaseSecret.read(env, secret.get());
        return new Settings(url, login.user(), login.password(), maxConnections);
      }
      return new Settings(url, env.optional("DATABASE_USER").orElse(null),
          env.optional("DATABASE_PASSWORD").orElse(null), maxConnections);
    }
  }

  /** Work done with a connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final Settings settings;
  private final String applicationName;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private final Semaphore permits;
  private volatile boolean closed;

  public Database(Settings settings, String applicationName) {
    this.settings = settings;
    this.applicationName = applicationName;
    this.permits = new Semaphore(settings.maxConnections(), true);
  }

  public Settings settings() {
    return settings;
  }

  /** Runs {@code work} on a valid connection in auto-commit mode. */
  public <T> T run(SqlWork<T> work) throws SQLException {
    Connection connection = borrow();
    boolean healthy = false;
    try {
      T result = work.apply(connection);
      healthy = true;
      return result;
    } finally {
      giveBack(connection, healthy);
    }
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T transaction(SqlWork<T> work) throws SQLException {
    return run(connection -> {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      } finally {
        try {
          connection.setAutoCommit(true);
        } catch (SQLException ignored) {
          // a broken connection is discarded by run() through the validity check of the next use
        }
      }
    });
  }

  /**
   * A connection of its own, outside the pool, for a session that must outlive one unit of work
   * (a session-level advisory lock held for a whole training run); the caller closes it.
   */
  public Connection dedicated(String purpose) throws SQLException {
    if (closed) {
      throw new SQLException("Database is closed");
    }
    return open(applicationName + ":" + purpose);
  }

  private Connection borrow() throws SQLException {
    if (closed) {
      throw new SQLException("Database is closed");
    }
    try {
      if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new SQLException("Timed out waiting for a database connection");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Interrupted waiting for a database connection", e);
    }
    try {
      Connection connection;
      synchronized (idle) {
        connection = idle.pollFirst();
      }
      if (connection != null && isUsable(connection)) {
        return connection;
      }
      closeQuietly(connection);
      return open(applicationName);
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private void giveBack(Connection connection, boolean healthy) {
    try {
      if (!closed && (healthy || isUsable(connection))) {
        synchronized (idle) {
          idle.addFirst(connection);
        }
      } else {
        closeQuietly(connection);
      }
    } finally {
      permits.release();
    }
  }

  private static boolean isUsable(Connection connection) {
    try {
      return !connection.isClosed() && connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private Connection open(String sessionName) throws SQLException {
    Properties props = new Properties();
    if (settings.user() != null) {
      props.setProperty("user", settings.user());
    }
    if (settings.password() != null) {
      props.setProperty("password", settings.password());
    }
    props.setProperty("ApplicationName", sessionName);
    props.setProperty("connectTimeout", "10");
    props.setProperty("tcpKeepAlive", "true");
    // Server error details quote row values ("Failing row contains ..."), which may hold a
    // user's message: keep them out of exception messages, and so out of the logs.
    props.setProperty("logServerErrorDetail", "false");
    return DriverManager.getConnection(settings.url(), props);
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // already broken: nothing more to release
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (idle) {
      idle.forEach(Database::closeQuietly);
      idle.clear();
    }
  }
}
