package io.intentpipeline.storage;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the versioned SQL migrations of {@code db/} (packaged under {@code db/migration}). */
public final class Migrations {
  private Migrations() {}

  /** Brings the database of {@code settings} to the newest schema; returns how many were applied. */
  public static int migrate(Database.Settings settings) {
    MigrateResult result = Flyway.configure()
        .dataSource(settings.url(), settings.user(), settings.password())
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
    return result.migrationsExecuted;
  }
}
