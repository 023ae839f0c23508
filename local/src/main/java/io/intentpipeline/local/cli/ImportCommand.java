package io.intentpipeline.local.cli;

import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.http.DatabaseCalls;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import io.intentpipeline.transfer.DatasetFormat;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ImportReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pipeline import}: an external dataset into ai_training_data, as imported samples. */
@Command(name = "import", description = {
    "Imports an external dataset (JSON Lines with the seed's field names, or CSV with a header) into",
    "ai_training_data: each valid record becomes an approved sample with source 'imported', its label",
    "as detected intent and no confidence. Records are identified by their text and label, so importing",
    "the same file again stores nothing new. Invalid records are reported with their line; the others",
    "are kept. The file is read as it is stored, in one transaction, whatever its size.",
    "Database: --database-url, else DATABASE_URL, else the database 'intent_pipeline' on the local",
    "server (created and migrated when missing).",
    "Exit codes: 0 every record imported or already there, 2 invalid records (the valid ones are kept)",
    "or an unusable file, 3 the database is unavailable or not migrated, 1 anything else."})
final class ImportCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "FILE", description = "The dataset (.jsonl or .csv)")
  Path data;

  @Option(names = "--format", paramLabel = "jsonl|csv", description = "The file's format (default: by its extension)")
  String format;

  @Mixin
  CliSupport.Columns columns;

  @Option(names = "--database-url", paramLabel = "URL", description = "JDBC URL, e.g. jdbc:postgresql://host:5432/db")
  String databaseUrl;

  @Option(names = "--user", description = "Database user (or in the URL, or DATABASE_USER)")
  String user;

  @Option(names = "--password", description = "Database password (or DATABASE_PASSWORD)")
  String password;

  @Option(names = "--json", description = "Print the report as JSON (the API's answer) instead of text")
  boolean json;

  @Override
  public Integer call() {
    return CliSupport.run("import", this::importData);
  }

  private int importData() {
    DatasetFormat fileFormat = format();
    if (fileFormat != DatasetFormat.CSV && (columns.text != null || columns.label != null)) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT,
          "--text-column and --label-column apply to CSV files only; JSON Lines records use user_message and intent");
    }
    ImportReport report;
    // The command prints its own report; the service's JSON log line would only clutter it.
    Log.to(new PrintStream(OutputStream.nullOutputStream()));
    try (Database database = new Database(settings(), "pipeline-import")) {
      report = new DatasetImporter(database, Clock.systemUTC()).importFrom(
          sink -> DatasetFiles.readEach(data, fileFormat.files(), columns.columns(), sink), fileFormat);
    } catch (DatasetFormatException e) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, data + ": " + e.getMessage() + " (nothing was imported)");
    } catch (NoSuchFileException e) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, data + ": no such file");
    } catch (IOException e) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, data + ": cannot read: " + e.getMessage());
    } catch (SQLException e) {
      if (DatabaseCalls.isUnavailable(e)) {
        throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "the database is unavailable (SQLSTATE "
            + e.getSQLState() + "); nothing was imported");
      }
      if ("42P01".equals(e.getSQLState())) {
        throw new CliSupport.CliException(CliSupport.UNAVAILABLE,
            "the database has no ai_training_data table: run ./pipeline migrate first");
      }
      throw new CliSupport.CliException(CliSupport.FAILED, "the import failed with SQLSTATE " + e.getSQLState()
          + "; nothing was imported");
    } finally {
      Log.to(System.out);
    }
    print(report);
    return report.invalid() == 0 ? CliSupport.OK : CliSupport.BAD_INPUT;
  }

  private DatasetFormat format() {
    if (format != null) {
      return switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "jsonl" -> DatasetFormat.JSONL;
        case "csv" -> DatasetFormat.CSV;
        default -> throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--format must be jsonl or csv");
      };
    }
    try {
      return DatasetFormat.of(DatasetFiles.formatOf(data));
    } catch (IllegalArgumentException e) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, e.getMessage() + ", or pass --format");
    }
  }

  private Database.Settings settings() {
    String url = databaseUrl != null ? databaseUrl : System.getenv("DATABASE_URL");
    if (url != null && !url.isBlank()) {
      try {
        return new Database.Settings(url.strip(), user != null ? user : blankToNull(System.getenv("DATABASE_USER")),
            password != null ? password : blankToNull(System.getenv("DATABASE_PASSWORD")), 1);
      } catch (io.intentpipeline.config.ConfigException e) {
        throw new CliSupport.CliException(CliSupport.BAD_INPUT, e.getMessage());
      }
    }
    // The local database is the tool's own: bring it to the current schema first.
    try {
      FreshDatabase local = PostgresServer.shared().openOrCreate("intent_pipeline");
      Database.Settings settings = new Database.Settings(local.jdbcUrl(), local.user(), local.password(), 1);
      Migrations.migrate(settings);
      return settings;
    } catch (RuntimeException e) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "no local database: " + e.getMessage()
          + " (set DATABASE_URL or pass --database-url)");
    }
  }

  private void print(ImportReport report) {
    if (json) {
      System.out.println(Json.write(report));
      return;
    }
    for (ImportReport.LineError error : report.errors()) {
      System.err.println(data + ": line " + error.line() + ": " + error.message());
    }
    if (report.errorsTruncated()) {
      System.err.println(data + ": ... and " + (report.invalid() - report.errors().size()) + " more invalid records");
    }
    System.out.printf("%s: %d records: %d imported, %d already stored, %d invalid (source %s, status %s)%n",
        data, report.records(), report.imported(), report.duplicates(), report.invalid(), report.source(),
        report.datasetStatus());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
