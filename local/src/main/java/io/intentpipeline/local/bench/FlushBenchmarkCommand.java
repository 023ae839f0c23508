package io.intentpipeline.local.bench;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.ingest.FlushService;
import io.intentpipeline.ingest.RetrainTrigger;
import io.intentpipeline.interaction.AuditSample;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.log.Log;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.InteractionStore;
import io.intentpipeline.storage.Migrations;
import io.intentpipeline.storage.RetrainState;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pipeline benchmark flush}: the flush path's rows per second beside COPY's. */
@Command(name = "flush", mixinStandardHelpOptions = true, description = {
    "Rows/s of the flush path beside COPY's, per batch size.",
    "Rows per second stored by the flush path (decode + check each message, one INSERT ... unnest per",
    "batch, the retrain check) beside plain COPY of the same rows into the same table, in the same run.",
    "Uses a temporary database on the PostgreSQL server the tests use (DATABASE_URL, else 127.0.0.1:5432),",
    "dropped afterwards. Target: at batch 1000 the flush path reaches at least half of COPY's rate."})
final class FlushBenchmarkCommand implements Callable<Integer> {
  @Option(names = "--batches", split = ",", defaultValue = "10,100,1000", description = "Batch sizes (default: ${DEFAULT-VALUE})")
  List<Integer> batches;

  @Option(names = "--rows", defaultValue = "10000", description = "Rows per trial and path (default: ${DEFAULT-VALUE})")
  int rows;

  @Option(names = "--trials", defaultValue = "5", description = "Measured trials; the median is shown (default: ${DEFAULT-VALUE})")
  int trials;

  @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured trials first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Override
  public Integer call() {
    if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1 || b > 10_000)) {
      System.err.println("--batches: each batch size must be between 1 and 10000");
      return 2;
    }
    if (rows < 1 || rows > 10_000_000 || trials < 1 || trials > 100 || warmup < 0 || warmup > 10) {
      System.err.println("--rows must be 1..10000000, --trials 1..100, --warmup 0..10");
      return 2;
    }
    PostgresServer server;
    FreshDatabase fresh;
    try {
      server = PostgresServer.shared();
      fresh = server.createDatabase("bench");
    } catch (IllegalStateException e) {
      System.err.println("PostgreSQL is unavailable: " + e.getMessage());
      return 3;
    }
    try (fresh) {
      var settings = new Database.Settings(fresh.jdbcUrl(), fresh.user(), fresh.password(), 1);
      Migrations.migrate(settings);
      // One log line per batch is right for the function and noise here.
      Log.to(new PrintStream(OutputStream.nullOutputStream()));
      try (Database database = new Database(settings, "flush-benchmark")) {
        FlushService flush = flushService(database);
        var bench = new FlushBenchmark(database, flush);
        String version = database.run(c -> c.getMetaData().getDatabaseProductVersion());
        System.out.printf("flush benchmark: %d rows per trial and path, median of %d trials (after %d warm-up),"
            + " PostgreSQL %s, %d CPUs%n", rows, trials, warmup, version, Runtime.getRuntime().availableProcessors());
        System.out.printf("%8s %16s %16s %12s%n", "batch", "flush rows/s", "COPY rows/s", "flush/COPY");
        List<FlushBenchmark.Result> results = new ArrayList<>();
        for (int batch : batches) {
          FlushBenchmark.Result r = bench.measure(batch, rows, warmup, trials, 42);
          results.add(r);
          System.out.printf("%8d %16.0f %16.0f %12.2f%n", r.batch(), r.flushRowsPerSecond(), r.copyRowsPerSecond(), r.ratio());
        }
        results.stream().filter(r -> r.batch() == 1000).findFirst().ifPresent(r ->
            System.out.printf("target at batch 1000: flush >= 0.50 x COPY -> %.2f: %s%n", r.ratio(),
                r.ratio() >= 0.5 ? "met" : "NOT met"));
        return 0;
      } finally {
        Log.to(System.out);
      }
    } catch (SQLException e) {
      Log.to(System.out);
      System.err.println("The benchmark failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")");
      return 1;
    }
  }

  /**
   * The flush path as the function builds it. The retrain request is set open first, so that
   * every batch pays the real check but none sends: no queue is needed.
   */
  private static FlushService flushService(Database database) throws SQLException {
    database.run(c -> {
      try (var s = c.createStatement()) {
        s.execute("UPDATE ai_retrain_state SET requested_at = now() + interval '1 day'");
      }
      return null;
    });
    var unusedQueue = new RetrainQueue(SqsClients.create(AwsSettings.fromEnv(Env.of(Map.of(
        "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1")))), "http://127.0.0.1:1/none");
    var trigger = new RetrainTrigger(new RetrainState(database), unusedQueue, 100, 3600);
    return new FlushService(InteractionReader.system(), new InteractionStore(database, new AuditSample(AuditSample.DEFAULT_SHARE)), trigger, Clock.systemUTC());
  }
}
