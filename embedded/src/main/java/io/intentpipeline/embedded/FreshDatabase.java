package io.intentpipeline.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** A database of its own on a {@link PostgresServer}; a test's is dropped when closed. */
public final class FreshDatabase implements AutoCloseable {
  private final PostgresServer server;
  private final String name;
  private final String jdbcUrl;
  private final Properties credentials;
  private final boolean dropOnClose;

  FreshDatabase(PostgresServer server, String name, String jdbcUrl, Properties credentials, boolean dropOnClose) {
    this.server = server;
    this.name = name;
    this.jdbcUrl = jdbcUrl;
    this.credentials = credentials;
    this.dropOnClose = dropOnClose;
  }

  public String name() {
    return name;
  }

  /** The JDBC URL of this database (credentials in {@link #user()} and {@link #password()}). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user to connect as, or null when the URL carries it. */
  public String user() {
    return credentials.getProperty("user");
  }

  /** The password, or null when the URL carries it or none is needed. */
  public String password() {
    return credentials.getProperty("password");
  }

  /** A new connection to this database; the caller closes it. */
  public Connection connect() throws SQLException {
    return server.connect(jdbcUrl);
  }

  @Override
  public void close() {
    if (dropOnClose) {
      server.drop(name);
    }
  }
}
