package io.intentpipeline.http;

import io.intentpipeline.log.Log;
import java.sql.SQLException;

/** Runs database work for a route, turning an unreachable database into a 503 the caller can retry. */
public final class DatabaseCalls {
  private DatabaseCalls() {}

  /** Database work that may fail with an {@link SQLException}. */
  @FunctionalInterface
  public interface Work<T> {
    T call() throws SQLException;
  }

  /**
   * The result of {@code work}. A lost or refused connection, or a server shutting down or out of
   * connections, is a 503 {@code database_unavailable}; any other SQL failure is a fault of ours
   * (500, logged by the router without details).
   */
  public static <T> T call(Work<T> work) {
    try {
      return work.call();
    } catch (SQLException e) {
      if (isUnavailable(e)) {
        Log.warn("database_unavailable", "sql_state", e.getSQLState());
        throw ApiException.unavailable("database_unavailable", "The database is unavailable; retry later");
      }
      throw new IllegalStateException("Database call failed with SQLSTATE " + e.getSQLState(), e);
    }
  }

  /** Whether {@code e} says the database cannot be reached now (as opposed to a bad statement). */
  public static boolean isUnavailable(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return e.getMessage() != null && e.getMessage().contains("Timed out waiting for a database connection");
    }
    return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
  }
}
