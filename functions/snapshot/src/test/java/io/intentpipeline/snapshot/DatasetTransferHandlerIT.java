package io.intentpipeline.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.S3UploadStream;
import io.intentpipeline.config.Env;
import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ExportBucket;
import io.intentpipeline.transfer.ImportRequest;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dataset routes of the snapshot function end to end: the events of events/ and built
 * requests, real PostgreSQL and S3 (S3Proxy); exports are downloaded through their URLs.
 */
class DatasetTransferHandlerIT {
  static final Instant CLOCK = Instant.parse("2026-03-02T10:00:00Z");
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("transferhandler").emptyingTrainingRows();
  static TestStack stack;
  static Database database;
  static SnapshotHandler handler;

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    handler = handler(database, bucket(stack.aws()));
  }

  static ExportBucket bucket(AwsSettings aws) {
    return new ExportBucket(S3Clients.create(aws), S3Clients.presigner(aws), stack.bucket(),
        ExportBucket.DEFAULT_URL_TTL, false, S3UploadStream.MIN_PART_SIZE);
  }

  static SnapshotHandler handler(Database db, ExportBucket exports) {
    Clock clock = Clock.fixed(CLOCK, ZoneOffset.UTC);
    return new SnapshotHandler(new MetricsService(db), new DatasetExporter(db, exports, clock),
        new DatasetImporter(db, clock), clock);
  }

  static String download(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  static long count(String sql) throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static HttpResult importRaw(String contentType, Map<String, String> query, String body) {
    var event = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    event.put("version", "2.0");
    event.put("routeKey", "POST /ai/training/dataset/import");
    event.put("rawPath", "/ai/training/dataset/import");
    event.putObject("headers").put("content-type", contentType);
    if (!query.isEmpty()) {
      event.set("queryStringParameters", io.intentpipeline.json.Json.MAPPER.valueToTree(query));
    }
    event.putObject("requestContext").put("requestId", "test").put("stage", "$default")
        .putObject("http").put("method", "POST").put("path", "/ai/training/dataset/import");
    event.put("body", body);
    event.put("isBase64Encoded", false);
    String response = Invocations.invoke(handler, event.toString());
    JsonNode node = io.intentpipeline.json.Json.parseBody(response);
    return new HttpResult(node.path("statusCode").asInt(), Map.of(),
        io.intentpipeline.json.Json.parseBody(node.path("body").asText()));
  }

  // ------------------------------------------------------------------------------------- export

  @Test
  void theExportEventAnswersAUrlThatDownloadsTheSelectedRowsAsCsv() throws Exception {
    // Arrange: the event asks for CSV, min_confidence 60, stored from 2026-01-01.
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(
          Row.detected("card_arrival").message("kept, newest").confidence(60).at(Instant.parse("2026-02-10T00:00:00Z")),
          Row.detected("card_arrival").message("too unsure").confidence(59).at(Instant.parse("2026-02-09T00:00:00Z")),
          Row.detected("exchange_rate").correct("card_arrival").message("unsure but corrected").confidence(10)
              .at(Instant.parse("2026-02-08T00:00:00Z")),
          Row.detected("pin_blocked").message("too old").confidence(99).at(Instant.parse("2025-12-31T23:59:59Z"))));
    }

    // Act
    HttpResult result = Invocations.httpFile(handler, "snapshot-dataset-export.json");

    // Assert
    assertThat(result.status()).isEqualTo(200);
    JsonNode body = result.body();
    assertThat(body.path("format").asText()).isEqualTo("csv");
    assertThat(body.path("rows").asLong()).isEqualTo(2);
    assertThat(body.path("key").asText()).startsWith("exports/20260302T100000Z-").endsWith(".csv");
    assertThat(body.path("expires_in_seconds").asLong()).isEqualTo(900);
    assertThat(Instant.parse(body.path("expires_at").asText())).isAfter(Instant.now().plusSeconds(890));
    List<TrainingSample> rows = CsvFormat.read(new StringReader(download(body.path("url").asText())),
        CsvFormat.Columns.auto());
    // The dataset's order: human-verified rows first, then newest first.
    assertThat(rows).extracting(TrainingSample::userMessage).containsExactly("unsure but corrected", "kept, newest");
    assertThat(rows).extracting(TrainingSample::intent).containsExactly("card_arrival", "card_arrival");
    assertThat(rows.get(0).wasCorrected()).isTrue();
  }

  @Test
  void theInvalidExportEventIsA400NamingFormat() {
    HttpResult result = Invocations.httpFile(handler, "snapshot-dataset-export.invalid.json");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("format");
  }

  @Test
  void whenS3IsUnreachableTheExportIsA503() throws Exception {
    // Arrange
    AwsSettings dead = AwsSettings.fromEnv(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x",
        "AWS_SECRET_ACCESS_KEY", "y", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")));
    SnapshotHandler cutOff = handler(database, bucket(dead));

    // Act
    HttpResult result = Invocations.get(cutOff, "/ai/training/dataset/export", Map.of());

    // Assert
    assertThat(result.status()).isEqualTo(503);
    assertThat(result.body().path("error").path("code").asText()).isEqualTo("storage_unavailable");
  }

  @Test
  void aDirectInvocationExportsWithTheSameParametersAndNoGatewayInBetween() throws Exception {
    // Arrange: the event asks for reviewed rows only, as JSON Lines.
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(
          Row.detected("card_arrival").message("reviewed one").confidence(90).status("reviewed"),
          Row.detected("card_arrival").message("pending one").confidence(90)));
    }

    // Act
    JsonNode result = io.intentpipeline.json.Json.parseBody(Invocations.invokeFile(handler, "snapshot-export-direct.json"));

    // Assert
    assertThat(result.path("rows").asInt()).isEqualTo(1);
    assertThat(result.path("format").asText()).isEqualTo("jsonl");
    assertThat(download(result.path("url").asText())).contains("\"user_message\":\"reviewed one\"")
        .doesNotContain("pending one");
  }

  @Test
  void theInvalidDirectExportFailsTheInvocationNamingTheField() {
    assertThatThrownBy(() -> Invocations.invokeFile(handler, "snapshot-export-direct.invalid.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(field limit)");
    assertThatThrownBy(() -> Invocations.invoke(handler, "{\"export\": {\"format\": \"csv\"}, \"period_type\": \"daily\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(field period_type)");
  }

  // ------------------------------------------------------------------------------------- import

  @Test
  void theImportEventStoresItsSamplesAndSendingItAgainStoresNothingNew() throws Exception {
    // Act
    HttpResult first = Invocations.httpFile(handler, "snapshot-dataset-import.json");
    HttpResult again = Invocations.httpFile(handler, "snapshot-dataset-import.json");

    // Assert
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().path("imported").asLong()).isEqualTo(3);
    assertThat(first.body().path("invalid").asLong()).isZero();
    assertThat(first.body().path("source").asText()).isEqualTo("imported");
    assertThat(first.body().path("dataset_status").asText()).isEqualTo("approved");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().path("imported").asLong()).isZero();
    assertThat(again.body().path("duplicates").asLong()).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE source = 'imported' AND dataset_status = 'approved'"
        + " AND confidence_score IS NULL")).isEqualTo(3);
  }

  @Test
  void theRawCsvEventKeepsTheGoodLinesAndReportsTheBadOneByLine() throws Exception {
    // Act
    HttpResult result = Invocations.httpFile(handler, "snapshot-dataset-import-csv.json");

    // Assert: line 4 has no label.
    assertThat(result.status()).isEqualTo(200);
    JsonNode body = result.body();
    assertThat(body.path("format").asText()).isEqualTo("csv");
    assertThat(body.path("records").asLong()).isEqualTo(4);
    assertThat(body.path("imported").asLong()).isEqualTo(3);
    assertThat(body.path("invalid").asLong()).isEqualTo(1);
    assertThat(body.path("errors").get(0).path("line").asInt()).isEqualTo(4);
    assertThat(body.path("errors").get(0).path("message").asText()).isEqualTo("field 'label' is missing or empty");
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE user_message = 'Hello, can I change my PIN?'"
        + " AND detected_intent = 'change_pin'")).isEqualTo(1);
  }

  @Test
  void theInvalidImportEventsAre400sNamingTheFieldAndStoreNothing() throws Exception {
    HttpResult envelope = Invocations.httpFile(handler, "snapshot-dataset-import.invalid.json");
    HttpResult raw = Invocations.httpFile(handler, "snapshot-dataset-import-csv.invalid.json");

    assertThat(envelope.status()).isEqualTo(400);
    assertThat(envelope.errorField()).isEqualTo("format");
    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.errorField()).isEqualTo("format");
    assertThat(count("SELECT count(*) FROM ai_training_data")).isZero();
  }

  @Test
  void aHeaderWithoutTheNamedColumnIsA400NamingTheOption() throws Exception {
    HttpResult result = importRaw("text/csv", Map.of("text_column", "question"), "text,category\nhi,greeting\n");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("text_column");
    assertThat(result.body().path("error").path("message").asText())
        .isEqualTo("line 1: the header has no text column named 'question'");
    assertThat(count("SELECT count(*) FROM ai_training_data")).isZero();
  }

  @Test
  void aBodyOverTheLimitIsA413AndStoresNothing() throws Exception {
    StringBuilder csv = new StringBuilder("text,category\n");
    while (csv.length() <= ImportRequest.MAX_BODY_BYTES) {
      csv.append("some message that takes room,greeting\n");
    }

    HttpResult result = importRaw("text/csv", Map.of(), csv.toString());

    assertThat(result.status()).isEqualTo(413);
    assertThat(result.body().path("error").path("code").asText()).isEqualTo("payload_too_large");
    assertThat(count("SELECT count(*) FROM ai_training_data")).isZero();
  }

  @Test
  void importedSamplesChangeTheStatisticsButNotTheLiveMetrics() throws Exception {
    // Arrange: one live interaction an hour ago.
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(Row.detected("card_arrival").confidence(80)
          .at(Instant.now().minus(1, ChronoUnit.HOURS))));
    }

    // Act
    HttpResult imported = Invocations.httpFile(handler, "snapshot-dataset-import.json");
    HttpResult metrics = Invocations.get(handler, "/ai/training/metrics", Map.of("hours", "24"));
    HttpResult stats = Invocations.get(handler, "/ai/training/dataset/stats", Map.of());

    // Assert
    assertThat(imported.body().path("imported").asLong()).isEqualTo(3);
    assertThat(metrics.body().path("total_messages").asInt()).isEqualTo(1);
    assertThat(metrics.body().path("top_intents").size()).isEqualTo(1);
    assertThat(stats.body().path("total_samples").asInt()).isEqualTo(4);
    assertThat(stats.body().path("sources").path("imported").asInt()).isEqualTo(3);
  }

  @Test
  void anUnreachableDatabaseIsA503ForBothRoutes() {
    // Arrange: a port nobody listens on.
    Database gone = new Database(new Database.Settings("jdbc:postgresql://127.0.0.1:9/none", "x", null, 1), "test");
    SnapshotHandler cutOff = handler(gone, bucket(stack.aws()));

    // Act
    HttpResult export = Invocations.get(cutOff, "/ai/training/dataset/export", Map.of());
    HttpResult imported = Invocations.httpFile(cutOff, "snapshot-dataset-import.json");

    // Assert
    assertThat(export.status()).isEqualTo(503);
    assertThat(imported.status()).isEqualTo(503);
    assertThat(imported.body().path("error").path("code").asText()).isEqualTo("database_unavailable");
    assertThat(stack.s3().listMultipartUploads(b -> b.bucket(stack.bucket())).uploads()).isEmpty();
  }
}
