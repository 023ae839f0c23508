package io.intentpipeline.local.cli;

import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.storage.Database;

/**
 * The database of the local stack: the given URL or {@code DATABASE_URL} as it is, else the
 * database {@code name} (created when missing) on the server {@link PostgresServer} finds
 * (127.0.0.1:5432, else an embedded one for a non-root user). Fails with an
 * {@link IllegalStateException} saying what to do.
 */
final class LocalDatabase {
  private LocalDatabase() {}

  static Database.Settings find(String url, String user, String password, String name) {
    String configured = url != null ? url : System.getenv("DATABASE_URL");
    if (configured != null && !configured.isBlank()) {
      return new Database.Settings(configured.strip(), user != null ? user : blankToNull(System.getenv("DATABASE_USER")),
          password != null ? password : blankToNull(System.getenv("DATABASE_PASSWORD")), 4);
    }
    FreshDatabase database = PostgresServer.shared().openOrCreate(name);
    return new Database.Settings(database.jdbcUrl(), database.user(), database.password(), 4);
  }

  /** {@code url} without a password it may carry, for printing. */
  static String printable(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
