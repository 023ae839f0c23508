package io.intentpipeline.local.cli;

import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pipeline migrate}: brings a database to the newest schema with Flyway. */
@Command(name = "migrate", description = {
    "Applies the migrations of db/ with Flyway.",
    "Without --database-url: DATABASE_URL if set, else the database 'intent_pipeline' on the local",
    "server (created when missing)."})
final class MigrateCommand implements Callable<Integer> {
  @Option(names = "--database-url", description = "JDBC URL, e.g. jdbc:postgresql://host:5432/db")
  String databaseUrl;

  @Option(names = "--user", description = "Database user (or in the URL)")
  String user;

  @Option(names = "--password", description = "Database password (or DATABASE_PASSWORD)")
  String password;

  @Override
  public Integer call() {
    Database.Settings settings;
    String url = databaseUrl != null ? databaseUrl : System.getenv("DATABASE_URL");
    if (url != null && !url.isBlank()) {
      settings = new Database.Settings(url, user != null ? user : System.getenv("DATABASE_USER"),
          password != null ? password : System.getenv("DATABASE_PASSWORD"), 1);
    } else {
      FreshDatabase local = PostgresServer.shared().openOrCreate("intent_pipeline");
      settings = new Database.Settings(local.jdbcUrl(), local.user(), local.password(), 1);
    }
    int applied = Migrations.migrate(settings);
    System.out.println("Applied " + applied + " migration(s); the schema is current.");
    return 0;
  }
}
