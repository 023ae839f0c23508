package io.intentpipeline.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.S3UploadStream;
import io.intentpipeline.config.Env;
import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.StorageUnavailableException;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exports against real PostgreSQL and a real S3 server (S3Proxy): the presigned URL is fetched with
 * a plain HTTP GET, as a browser would, and what it downloads is compared with the rows.
 */
class DatasetExporterIT {
  static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("exporter").emptyingTrainingRows();
  static TestStack stack;
  static Database database;
  static DatasetExporter exporter;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    exporter = exporter(Duration.ofMinutes(15));
  }

  static DatasetExporter exporter(Duration ttl) {
    var bucket = new ExportBucket(stack.s3(), S3Clients.presigner(stack.aws()), stack.bucket(), ttl, false,
        S3UploadStream.MIN_PART_SIZE);
    return new DatasetExporter(database, bucket, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static HttpResponse<String> download(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static void insert(List<Row> rows) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, rows);
    }
  }

  /** The fixture every export test reads: one row of each kind, one minute apart (row i at T0 + i min). */
  static List<Row> fixture() {
    return List.of(
        Row.detected("card_arrival").message("where is my card").confidence(90).response("On its way.")
            .at(T0.plus(0, ChronoUnit.MINUTES)),
        Row.detected("card_arrival").message("card, \"late\"\nagain").confidence(30).escalated(true)
            .at(T0.plus(1, ChronoUnit.MINUTES)),                                  // below min_confidence 50
        Row.detected("card_linking").correct("card_arrival").message("my card never came").confidence(20)
            .at(T0.plus(2, ChronoUnit.MINUTES)),                                  // corrected: kept at any confidence
        Row.detected("exchange_rate").message("rates?").confidence(95).status("rejected")
            .at(T0.plus(3, ChronoUnit.MINUTES)),                                  // rejected: never exported
        Row.detected("top_up_failed").message("top up failed").confidence(null).source("imported").status("approved")
            .at(T0.plus(4, ChronoUnit.MINUTES)),                                  // no score: kept
        Row.detected(null).message("no intent at all").confidence(70)
            .at(T0.plus(5, ChronoUnit.MINUTES)),                                  // no intent: never exported
        Row.detected("pin_blocked").message("pin blocked").confidence(50).status("reviewed")
            .at(T0.plus(6, ChronoUnit.MINUTES)));                                 // exactly min_confidence: kept
  }

  static TrainingSample sample(String message, String intent, String response, Integer confidence, boolean escalated,
                               boolean corrected, String source, int minute) {
    return new TrainingSample(message, intent, response, confidence, "", escalated, corrected, source,
        T0.plus(minute, ChronoUnit.MINUTES));
  }

  @Test
  void theUrlDownloadsExactlyTheRowsGetTrainingDatasetSelects() throws Exception {
    // Arrange
    insert(fixture());
    // Worked out by hand from the fixture: min_confidence 50 drops minute 1, rejected minute 3 and
    // the intent-less minute 5 are never exported; newest first.
    List<TrainingSample> expected = List.of(
        sample("pin blocked", "pin_blocked", "It is on its way.", 50, false, false, "live", 6),
        sample("top up failed", "top_up_failed", "It is on its way.", null, false, false, "imported", 4),
        sample("my card never came", "card_arrival", "It is on its way.", 20, false, true, "live", 2),
        sample("where is my card", "card_arrival", "On its way.", 90, false, false, "live", 0));

    // Act
    ExportResult result = exporter.export(new ExportRequest(DatasetFormat.JSONL, 50, false, Optional.empty(),
        Optional.empty(), Optional.empty()));
    HttpResponse<String> download = download(result.url());

    // Assert
    assertThat(download.statusCode()).isEqualTo(200);
    List<TrainingSample> exported = JsonlFormat.read(new BufferedReader(new StringReader(download.body())));
    assertThat(exported).isEqualTo(expected);
    assertThat(exported).extracting(TrainingSample::userMessage).isEqualTo(getTrainingDataset(50, false));
    assertThat(result.rows()).isEqualTo(4);
    assertThat(result.bytes()).isEqualTo(download.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(result.format()).isEqualTo("jsonl");
    assertThat(result.bucket()).isEqualTo(stack.bucket());
    assertThat(result.key()).matches("exports/20260302T101530Z-[0-9a-f-]{36}\\.jsonl");
    assertThat(result.createdAt()).isEqualTo(NOW);
    assertThat(download.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/x-ndjson"));
  }

  /** The messages get_training_dataset answers, in its order. */
  static List<String> getTrainingDataset(int minConfidence, boolean onlyReviewed) throws SQLException {
    List<String> messages = new ArrayList<>();
    try (Connection c = stack.connect();
         var s = c.prepareStatement("SELECT user_message FROM get_training_dataset(?, ?, 1000000)")) {
      s.setInt(1, minConfidence);
      s.setBoolean(2, onlyReviewed);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          messages.add(rs.getString(1));
        }
      }
    }
    return messages;
  }

  @Test
  void onGeneratedDataEveryExportMatchesGetTrainingDatasetFieldForField() throws Exception {
    // Arrange: 400 rows of every kind, seeded, many sharing a creation time (ties are ordered by id).
    java.util.Random random = new java.util.Random(42);
    String[] intents = {"card_arrival", "card_linking", "exchange_rate", "top_up_failed", "pin_blocked"};
    String[] statuses = {"pending", "reviewed", "approved", "rejected", "used_in_training"};
    String[] sources = {"live", "imported", "synthetic"};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Row row = Row.detected(random.nextInt(15) == 0 ? null : intents[random.nextInt(intents.length)])
          .message("message " + i + (random.nextBoolean() ? ", with \"quotes\"" : ""))
          .confidence(random.nextInt(6) == 0 ? null : random.nextInt(101))
          .escalated(random.nextInt(4) == 0)
          .source(sources[random.nextInt(sources.length)])
          .status(statuses[random.nextInt(statuses.length)])
          .response(random.nextInt(5) == 0 ? null : "answer " + i)
          .at(T0.plus(random.nextInt(60), ChronoUnit.MINUTES));
      if (random.nextInt(4) == 0) {
        row.correct(intents[random.nextInt(intents.length)]);
      }
      rows.add(row);
    }
    insert(rows);

    for (int minConfidence : new int[] {0, 50, 90}) {
      for (boolean onlyReviewed : new boolean[] {false, true}) {
        // Act
        ExportResult result = exporter.export(new ExportRequest(DatasetFormat.CSV, minConfidence, onlyReviewed,
            Optional.empty(), Optional.empty(), Optional.empty()));
        List<TrainingSample> exported = CsvFormat.read(new StringReader(download(result.url()).body()),
            CsvFormat.Columns.auto());

        // Assert
        assertThat(exported).as("min_confidence %d, only_reviewed %s", minConfidence, onlyReviewed)
            .isEqualTo(getTrainingDatasetSamples(minConfidence, onlyReviewed));
      }
    }
  }

  /** get_training_dataset's rows as samples, in its order. */
  static List<TrainingSample> getTrainingDatasetSamples(int minConfidence, boolean onlyReviewed) throws SQLException {
    List<TrainingSample> samples = new ArrayList<>();
    try (Connection c = stack.connect();
         var s = c.prepareStatement("SELECT * FROM get_training_dataset(?, ?, 1000000)")) {
      s.setInt(1, minConfidence);
      s.setBoolean(2, onlyReviewed);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Integer confidence = rs.getObject("confidence_score", Integer.class);
          samples.add(new TrainingSample(rs.getString("user_message"), rs.getString("intent"), rs.getString("response"),
              confidence, rs.getString("category"), rs.getBoolean("was_escalated"),
              rs.getBoolean("was_corrected"), rs.getString("source"),
              rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant()));
        }
      }
    }
    return samples;
  }

  @Test
  void csvWithOnlyReviewedRowsInATimeRangeAndALimit() throws Exception {
    // Arrange
    insert(fixture());

    // Act: reviewed rows (corrected by a human, or status reviewed/approved) stored in [minute 2, minute 6].
    ExportResult ranged = exporter.export(new ExportRequest(DatasetFormat.CSV, 0, true,
        Optional.of(T0.plus(2, ChronoUnit.MINUTES)), Optional.of(T0.plus(6, ChronoUnit.MINUTES)), Optional.empty()));
    ExportResult limited = exporter.export(new ExportRequest(DatasetFormat.CSV, 0, true, Optional.empty(),
        Optional.empty(), Optional.of(2)));
    String rangedCsv = download(ranged.url()).body();
    String limitedCsv = download(limited.url()).body();

    // Assert: minute 6 is the excluded end; of the reviewed rows 2, 4 and 6 the range keeps 2 and 4.
    assertThat(CsvFormat.read(new StringReader(rangedCsv), CsvFormat.Columns.auto())).containsExactly(
        sample("top up failed", "top_up_failed", "It is on its way.", null, false, false, "imported", 4),
        sample("my card never came", "card_arrival", "It is on its way.", 20, false, true, "live", 2));
    assertThat(rangedCsv).startsWith("user_message,intent,response,confidence_score,category,was_escalated,"
        + "was_corrected,source,created_at\r\n");
    assertThat(CsvFormat.read(new StringReader(limitedCsv), CsvFormat.Columns.auto()))
        .extracting(TrainingSample::userMessage).containsExactly("pin blocked", "top up failed")
        .isEqualTo(getTrainingDataset(0, true).subList(0, 2));
    assertThat(ranged.key()).endsWith(".csv");
  }

  @Test
  void theUrlSaysWhenItExpiresAndStopsWorkingThen() throws Exception {
    // Arrange
    insert(fixture());
    DatasetExporter shortLived = exporter(Duration.ofSeconds(1));

    // Act
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    ExportResult lasting = exporter.export(ExportRequest.all(DatasetFormat.JSONL));
    ExportResult fleeting = shortLived.export(ExportRequest.all(DatasetFormat.JSONL));
    Instant after = Instant.now();
    int fresh = download(fleeting.url()).statusCode();
    Thread.sleep(2_500);
    HttpResponse<String> stale = download(fleeting.url());

    // Assert
    assertThat(lasting.expiresInSeconds()).isEqualTo(900);
    assertThat(URI.create(lasting.url()).getRawQuery()).contains("X-Amz-Expires=900");
    assertThat(lasting.expiresAt()).isBetween(before.plusSeconds(900), after.plusSeconds(900));
    assertThat(fresh).isEqualTo(200);
    assertThat(stale.statusCode()).isEqualTo(403);
    assertThat(stale.body()).contains("expired");
    assertThat(download(lasting.url()).statusCode()).isEqualTo(200);
  }

  @Test
  void aLargeExportIsSentInPartsAndArrivesWhole() throws Exception {
    // Arrange: 60,000 rows of about 200 characters, some 15 MB of JSON Lines: three parts of 5 MiB.
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("""
          INSERT INTO ai_training_data (interaction_id, user_message, detected_intent, confidence_score, occurred_at,
                                        created_at)
          SELECT 'bulk-' || i, 'message ' || i || ' ' || repeat('x', 180), 'intent_' || (i % 77), 80,
                 timestamptz '2026-01-01' + i * interval '1 second', timestamptz '2026-01-01' + i * interval '1 second'
          FROM generate_series(1, 60000) AS i
          """);
    }

    // Act
    ExportResult result = exporter.export(ExportRequest.all(DatasetFormat.JSONL));
    String body = download(result.url()).body();

    // Assert
    assertThat(result.rows()).isEqualTo(60_000);
    assertThat(result.bytes()).isGreaterThan(2L * S3UploadStream.MIN_PART_SIZE).isEqualTo(body.length());
    List<TrainingSample> rows = JsonlFormat.read(new BufferedReader(new StringReader(body)));
    assertThat(rows).hasSize(60_000);
    assertThat(rows.get(0).userMessage()).startsWith("message 60000 ");
    assertThat(rows.get(59_999).userMessage()).startsWith("message 1 ");
    assertThat(rows.get(0).intent()).isEqualTo("intent_" + (60_000 % 77));
  }

  @Test
  void nothingToExportIsAnEmptyFileOrAHeader() throws Exception {
    ExportResult jsonl = exporter.export(ExportRequest.all(DatasetFormat.JSONL));
    ExportResult csv = exporter.export(ExportRequest.all(DatasetFormat.CSV));

    assertThat(jsonl.rows()).isZero();
    assertThat(download(jsonl.url()).body()).isEmpty();
    assertThat(download(csv.url()).body()).startsWith("user_message,intent,").endsWith("created_at\r\n");
  }

  @Test
  void whenS3CannotBeReachedTheExportIsA503() throws Exception {
    // Arrange: a port nobody listens on.
    insert(fixture());
    AwsSettings dead = AwsSettings.fromEnv(Env.of(Map.of("AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")));
    var bucket = new ExportBucket(S3Clients.create(dead), S3Clients.presigner(dead), stack.bucket(),
        Duration.ofMinutes(15), false, S3UploadStream.MIN_PART_SIZE);
    DatasetExporter unreachable = new DatasetExporter(database, bucket, Clock.systemUTC());

    // Act / Assert
    assertThatThrownBy(() -> unreachable.export(ExportRequest.all(DatasetFormat.JSONL)))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessage("The export storage (S3) is unavailable; retry later");
    // The failed export left no open transaction behind: the next one, to the real bucket, works.
    assertThat(exporter.export(ExportRequest.all(DatasetFormat.JSONL)).rows()).isEqualTo(5);
  }
}
