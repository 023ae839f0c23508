package io.intentpipeline.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.S3UploadStream;
import io.intentpipeline.config.Env;
import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.embedded.EmbeddedS3;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.log.Log;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.DatasetFormat;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ExportBucket;
import io.intentpipeline.transfer.ExportQueries;
import io.intentpipeline.transfer.ExportRequest;
import io.intentpipeline.transfer.ExportResult;
import io.intentpipeline.transfer.ImportReport;
import io.intentpipeline.transfer.ImportRequest;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline benchmark transfer}: how long an export of the whole table takes (database read,
 * writing the file, the upload to S3), how much memory it holds, and how fast imports store rows.
 */
@Command(name = "transfer", description = {
    "Measures dataset export (to an S3 server in this JVM) and import on a large ai_training_data.",
    "Creates a database of its own (dropped at the end) on DATABASE_URL's server or the local one."})
final class TransferBenchmark implements Callable<Integer> {
  /** API Gateway's limit on an HTTP API request, which an export through the route must fit. */
  static final double API_GATEWAY_SECONDS = 30;

  @Option(names = "--rows", defaultValue = "1000000", description = "Rows of ai_training_data (default ${DEFAULT-VALUE})")
  int rows;

  @Option(names = "--import-rows", defaultValue = "100000", description = "Records of the imported file (default ${DEFAULT-VALUE})")
  int importRows;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each measure; the median is shown (default ${DEFAULT-VALUE})")
  int runs;

  @Override
  public Integer call() throws Exception {
    if (rows < 1000 || rows > 20_000_000 || importRows < 1000 || importRows > 5_000_000 || runs < 1 || runs > 20) {
      System.err.println("benchmark transfer: --rows must be 1000..20000000, --import-rows 1000..5000000, --runs 1..20");
      return 2;
    }
    PrintStream out = System.out;
    FreshDatabase fresh;
    try {
      fresh = PostgresServer.shared().createDatabase("bench");
    } catch (IllegalStateException e) {
      System.err.println("benchmark transfer: " + e.getMessage());
      return 3;
    }
    Path s3Folder = Files.createTempDirectory("bench-s3");
    Thread cleanUp = new Thread(fresh::close);
    Runtime.getRuntime().addShutdownHook(cleanUp);
    var settings = new Database.Settings(fresh.jdbcUrl(), fresh.user(), fresh.password(), 1);
    Log.to(new PrintStream(OutputStream.nullOutputStream()));
    try (Database database = new Database(settings, "benchmark-transfer");
         EmbeddedS3 s3Server = EmbeddedS3.onDisk(s3Folder, 0)) {
      fill(fresh, settings, out);
      AwsSettings aws = AwsSettings.fromEnv(Env.of(Map.of("AWS_REGION", "us-east-1",
          "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY,
          "AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString())));
      try (var s3 = S3Clients.create(aws); var presigner = S3Clients.presigner(aws)) {
        S3Clients.ensureBucket(s3, "bench");
        var bucket = new ExportBucket(s3, presigner, "bench", ExportBucket.DEFAULT_URL_TTL, false,
            S3UploadStream.MIN_PART_SIZE);
        DatasetExporter exporter = new DatasetExporter(database, bucket, Clock.systemUTC());
        exports(fresh, exporter, out);
      }
      imports(database, out);
      return 0;
    } finally {
      Log.to(System.out);
      fresh.close();
      Runtime.getRuntime().removeShutdownHook(cleanUp);
      try (var files = Files.walk(s3Folder)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void fill(FreshDatabase fresh, Database.Settings settings, PrintStream out) throws Exception {
    Migrations.migrate(settings);
    try (Connection c = fresh.connect(); Statement s = c.createStatement()) {
      long start = System.nanoTime();
      s.execute("SELECT setseed(0.42)");
      try (var fill = c.prepareStatement(QueriesBenchmark.resource("/benchmark/fill-training-data.sql"))) {
        fill.setInt(1, rows);
        fill.executeUpdate();
      }
      s.execute("VACUUM ANALYZE ai_training_data");
      out.printf(Locale.ROOT, "Filled %,d rows of ai_training_data in %.1f s (as ./pipeline benchmark queries does);"
          + " JVM heap limit %d MB, %d CPUs%n", rows, (System.nanoTime() - start) / 1e9,
          Runtime.getRuntime().maxMemory() / (1 << 20), Runtime.getRuntime().availableProcessors());
    }
  }

  private void exports(FreshDatabase fresh, DatasetExporter exporter, PrintStream out) throws Exception {
    // Warm-up: the JIT compiles the writing path once before anything is timed.
    for (DatasetFormat format : DatasetFormat.values()) {
      exporter.export(new ExportRequest(format, 0, false, java.util.Optional.empty(), java.util.Optional.empty(),
          java.util.Optional.of(20_000)));
    }
    out.println();
    out.println("Export of every row (get_training_dataset's filters at their defaults), median of " + runs + " runs:");
    out.println("| format | rows | file MB | database read s | read + write file s | export to S3 s | rows/s (S3) | peak heap MB |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (DatasetFormat format : DatasetFormat.values()) {
      ExportRequest request = ExportRequest.all(format);
      double[] read = new double[runs];
      double[] written = new double[runs];
      double[] exported = new double[runs];
      long peak = 0;
      ExportResult last = null;
      for (int run = 0; run < runs; run++) {
        read[run] = time(() -> readOnly(fresh, request));
        written[run] = time(() -> exporter.writeTo(request, OutputStream.nullOutputStream()));
        System.gc();
        resetPeaks();
        long start = System.nanoTime();
        last = exporter.export(request);
        exported[run] = (System.nanoTime() - start) / 1e9;
        peak = Math.max(peak, peakHeap());
      }
      double exportSeconds = median(exported);
      out.printf(Locale.ROOT, "| %s | %,d | %.1f | %.2f | %.2f | %.2f | %,.0f | %d |%n", format.key(), last.rows(),
          last.bytes() / 1e6, median(read), median(written), exportSeconds, last.rows() / exportSeconds, peak >> 20);
    }
    out.printf(Locale.ROOT, "runs (s): see above; an export through the HTTP route must finish within API Gateway's %.0f s%n",
        API_GATEWAY_SECONDS);
  }

  /** The export's statement alone: every row fetched through the same cursor, nothing built. */
  private static long readOnly(FreshDatabase fresh, ExportRequest request) throws Exception {
    try (Connection c = fresh.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement statement = ExportQueries.rows(request).prepare(c)) {
        statement.setFetchSize(1_000);
        long n = 0;
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            n++;
          }
        }
        c.commit();
        return n;
      }
    }
  }

  private void imports(Database database, PrintStream out) throws Exception {
    Path file = Files.createTempFile("bench-import", ".csv");
    try {
      try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        writer.write("text,category\n");
        for (int i = 0; i < importRows; i++) {
          writer.write("\"imported question number " + i + " about topic " + (i % 77) + ", please help\",intent_"
              + (i % 77) + "\n");
        }
      }
      DatasetImporter importer = new DatasetImporter(database, Clock.systemUTC());
      out.println();
      out.println("Import (one transaction, INSERT ... SELECT FROM unnest of 1,000 rows at a time):");
      out.println("| what | records | stored | invalid | seconds | records/s |");
      out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
      for (String pass : List.of("file, first time (./pipeline import)", "same file again (all duplicates)")) {
        long start = System.nanoTime();
        ImportReport report = importer.importFrom(
            sink -> DatasetFiles.readEach(file, DatasetFiles.Format.CSV, CsvFormat.Columns.auto(), sink), DatasetFormat.CSV);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %.2f | %,.0f |%n", pass, report.records(), report.imported(),
            report.invalid(), seconds, report.records() / seconds);
      }
      // The largest body the route takes, as the route reads it.
      StringBuilder body = new StringBuilder("text,category\n");
      int n = 0;
      while (true) {
        String line = "a question sent through the API number " + n + ",intent_" + (n % 77) + "\n";
        if (body.length() + line.length() > ImportRequest.MAX_BODY_BYTES) {
          break;
        }
        body.append(line);
        n++;
      }
      APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withBody(body.toString())
          .withHeaders(Map.of("content-type", "text/csv")).withIsBase64Encoded(false).build();
      long start = System.nanoTime();
      ImportRequest request = ImportRequest.from(new HttpRequest(event));
      ImportReport report = importer.importFrom(request.source(), request.format());
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "| a 4 MiB body (POST /ai/training/dataset/import) | %,d | %,d | %,d | %.2f | %,.0f |%n",
          report.records(), report.imported(), report.invalid(), seconds, report.records() / seconds);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @FunctionalInterface
  interface Work {
    Object run() throws Exception;
  }

  private static double time(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the last reset (an upper bound of the heap in use at once). */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
