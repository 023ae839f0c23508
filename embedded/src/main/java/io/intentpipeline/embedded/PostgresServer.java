package io.intentpipeline.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL server the tests and the local stack use, found in this order:
 *
 * <ol>
 *   <li>{@code DATABASE_URL} (environment variable or system property): a JDBC URL whose user
 *       may create databases;
 *   <li>the server on 127.0.0.1:5432 as user {@code postgres} (trust authentication);
 *   <li>an embedded PostgreSQL (zonky), which PostgreSQL allows only for a non-root user;
 *   <li>otherwise a clear error saying what to do.
 * </ol>
 */
public final class PostgresServer {
  private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final String TEST_PREFIX = "ipt_test_";
  private static PostgresServer shared;

  private final String adminUrl;
  private final Properties credentials;
  private final String origin;

  private PostgresServer(String adminUrl, Properties credentials, String origin) {
    this.adminUrl = adminUrl;
    this.credentials = credentials;
    this.origin = origin;
  }

  /** The server of this JVM, found once. */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      shared = find();
      shared.dropStaleTestDatabases();
    }
    return shared;
  }

  private static PostgresServer find() {
    String configured = System.getProperty("DATABASE_URL", System.getenv("DATABASE_URL"));
    if (configured != null && !configured.isBlank()) {
      if (!configured.startsWith("jdbc:postgresql:")) {
        throw new IllegalStateException(
            "DATABASE_URL must be a JDBC URL such as jdbc:postgresql://host:5432/postgres?user=u&password=p, got '"
                + configured + "'");
      }
      var server = new PostgresServer(configured.trim(), new Properties(), "DATABASE_URL");
      server.check();
      return server;
    }
    Properties postgres = new Properties();
    postgres.setProperty("user", "postgres");
    var local = new PostgresServer(LOCAL_URL, postgres, "127.0.0.1:5432");
    List<String> tried = new ArrayList<>();
    try {
      local.check();
      return local;
    } catch (IllegalStateException e) {
      tried.add("127.0.0.1:5432 (" + e.getMessage() + ")");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      try {
        EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            embedded.close();
          } catch (java.io.IOException ignored) {
            // the process is ending anyway
          }
        }));
        return new PostgresServer(embedded.getJdbcUrl("postgres", "postgres"), new Properties(), "embedded");
      } catch (java.io.IOException | RuntimeException e) {
        tried.add("embedded PostgreSQL (" + e.getMessage() + ")");
      }
    } else {
      tried.add("embedded PostgreSQL (refuses to run as root)");
    }
    throw new IllegalStateException("No PostgreSQL server available. Tried: " + String.join("; ", tried)
        + ". Start the local server (pg_ctlcluster 15 main start) or set DATABASE_URL to a JDBC URL"
        + " whose user may create databases.");
  }

  /** Where the server came from: DATABASE_URL, 127.0.0.1:5432 or embedded. */
  public String origin() {
    return origin;
  }

  private void check() {
    try (Connection c = connect(adminUrl)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  Connection connect(String url) throws SQLException {
    Properties props = new Properties();
    props.putAll(credentials);
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, props);
  }

  /** A new empty database named {@code ipt_<label>_<time>_<random>}, dropped when closed. */
  public FreshDatabase createDatabase(String label) {
    String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String name = TEST_PREFIX + (clean.isEmpty() ? "" : clean.substring(0, Math.min(20, clean.length())) + "_")
        + (System.currentTimeMillis() / 1000) + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 4);
    return createNamed(name, true);
  }

  /** The database {@code name}, created when missing and kept when closed (local stack). */
  public FreshDatabase openOrCreate(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("Database name must be lower case letters, digits and _: " + name);
    }
    return createNamed(name, false);
  }

  /** The database {@code name} dropped (with its sessions) and created empty, kept when closed (the demo). */
  public FreshDatabase recreate(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("Database name must be lower case letters, digits and _: " + name);
    }
    drop(name);
    return createNamed(name, false);
  }

  private FreshDatabase createNamed(String name, boolean dropOnClose) {
    try (Connection c = connect(adminUrl); Statement s = c.createStatement()) {
      boolean exists;
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        s.execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + name + " on " + origin + ": " + e.getMessage(), e);
    }
    return new FreshDatabase(this, name, withDatabase(adminUrl, name), credentials, dropOnClose);
  }

  void drop(String name) {
    try (Connection c = connect(adminUrl); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot drop database " + name + ": " + e.getMessage(), e);
    }
  }

  /** Drops test databases left by runs that crashed more than six hours ago. */
  private void dropStaleTestDatabases() {
    long cutoff = System.currentTimeMillis() / 1000 - 6 * 3600;
    List<String> stale = new ArrayList<>();
    try (Connection c = connect(adminUrl); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'ipt\\_test\\_%'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        var m = java.util.regex.Pattern.compile("_(\\d{9,})_[0-9a-f]+$").matcher(name);
        if (m.find() && Long.parseLong(m.group(1)) < cutoff) {
          stale.add(name);
        }
      }
    } catch (SQLException e) {
      return;
    }
    for (String name : stale) {
      try {
        drop(name);
      } catch (IllegalStateException ignored) {
        // another run may be dropping it at the same moment
      }
    }
  }

  /** {@code url} with its database name replaced by {@code database}. */
  static String withDatabase(String url, String database) {
    String prefix = "jdbc:postgresql://";
    if (!url.startsWith(prefix)) {
      throw new IllegalArgumentException("Unsupported JDBC URL: " + url);
    }
    int query = url.indexOf('?');
    String head = query < 0 ? url : url.substring(0, query);
    String tail = query < 0 ? "" : url.substring(query);
    int slash = head.indexOf('/', prefix.length());
    String hosts = slash < 0 ? head : head.substring(0, slash);
    return hosts + "/" + database + tail;
  }
}
