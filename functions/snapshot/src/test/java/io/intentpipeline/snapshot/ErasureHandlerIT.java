package io.intentpipeline.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.S3UploadStream;
import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.pipeline.TrainingLock;
import io.intentpipeline.privacy.DataBucket;
import io.intentpipeline.privacy.Erasure;
import io.intentpipeline.privacy.Retention;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ExportBucket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code POST /ai/training/erasure} and the retention schedule end to end: real PostgreSQL and S3
 * (S3Proxy), a dataset snapshot in the format training runs write, exports made by the export
 * route.
 */
class ErasureHandlerIT {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("erasurehandler").emptyingTrainingRows();
  static TestStack stack;
  static Database database;
  static SnapshotHandler handler;

  static final UUID JANE = UUID.fromString("0a000000-0000-4000-8000-000000000001");
  static final UUID JOHN = UUID.fromString("0b000000-0000-4000-8000-000000000002");
  static final UUID JANES_CHAT = UUID.fromString("0c000000-0000-4000-8000-000000000003");

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    ExportBucket exports = new ExportBucket(S3Clients.create(stack.aws()), S3Clients.presigner(stack.aws()),
        stack.bucket(), ExportBucket.DEFAULT_URL_TTL, false, S3UploadStream.MIN_PART_SIZE);
    DataBucket data = new DataBucket(() -> S3Clients.create(stack.aws()), stack.bucket());
    handler = new SnapshotHandler(new MetricsService(database), new DatasetExporter(database, exports, clock),
        new DatasetImporter(database, clock), new Erasure(database, data),
        new Retention(database, Duration.ofDays(365), clock), clock);
  }

  @BeforeEach
  void emptyBucketAndAudit() throws SQLException {
    for (var o : stack.s3().listObjectsV2(b -> b.bucket(stack.bucket())).contents()) {
      stack.s3().deleteObject(b -> b.bucket(stack.bucket()).key(o.key()));
    }
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("TRUNCATE ai_data_erasures CASCADE");
    }
  }

  /** Inserts a row of {@code user} in {@code conversation}; returns its id. */
  static UUID row(UUID user, UUID conversation, String message, String intent, Instant createdAt) throws SQLException {
    try (Connection c = stack.connect(); PreparedStatement s = c.prepareStatement("INSERT INTO ai_training_data"
        + " (interaction_id, user_id, conversation_id, user_message, detected_intent, confidence_score,"
        + " occurred_at, created_at) VALUES (?, ?, ?, ?, ?, 80, ?, ?) RETURNING id")) {
      s.setString(1, "it-" + UUID.randomUUID());
      s.setObject(2, user);
      s.setObject(3, conversation);
      s.setString(4, message);
      s.setString(5, intent);
      s.setObject(6, java.sql.Timestamp.from(createdAt));
      s.setObject(7, java.sql.Timestamp.from(createdAt));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getObject(1, UUID.class);
      }
    }
  }

  static void correct(UUID rowId) throws SQLException {
    try (Connection c = stack.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT submit_intent_correction(?, 'card_arrival')")) {
      s.setObject(1, rowId);
      s.execute();
    }
  }

  static long count(String sql) throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A dataset snapshot of every row, in the format RunArtifactWriter writes (seed fields plus split). */
  static String snapshotOfAllRows() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT user_message, detected_intent::text, created_at FROM ai_training_data ORDER BY created_at")) {
      while (rs.next()) {
        String line = JsonlFormat.line(new TrainingSample(rs.getString(1), rs.getString(2), "", 80, "", false, false,
            "live", rs.getTimestamp(3).toInstant()));
        out.append(line, 0, line.length() - 1).append(",\"split\":\"train\"}\n");
      }
    }
    return out.toString();
  }

  static void put(String key, String text) {
    stack.s3().putObject(b -> b.bucket(stack.bucket()).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
  }

  static Optional<String> get(String key) {
    try {
      return Optional.of(stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(key)).asUtf8String());
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  static List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    stack.s3().listObjectsV2(b -> b.bucket(stack.bucket()).prefix(prefix)).contents().forEach(o -> keys.add(o.key()));
    return keys;
  }

  static HttpResult erase(String body) {
    return Invocations.http(handler, "POST", "/ai/training/erasure", Map.of(), body);
  }

  @Test
  void aUsersRowsCorrectionsSnapshotLinesAndExportsAreErasedAndTheAuditRowHasNoText() throws Exception {
    // Arrange: Jane's two rows (one corrected) and John's, in a snapshot and in a CSV and a JSONL export.
    Instant t = Instant.parse("2026-02-01T09:00:00.123456Z");
    UUID janes = row(JANE, JANES_CHAT, "my card   [CARD] never arrived", "card_arrival", t);
    row(JANE, JANES_CHAT, "why was I charged twice", "card_payment_fee_charged", t.plusSeconds(60));
    row(JOHN, null, "how do I top up", "top_up_by_card_charge", t.plusSeconds(120));
    correct(janes);
    put("datasets/run-1.jsonl", snapshotOfAllRows());
    HttpResult csv = Invocations.get(handler, "/ai/training/dataset/export", Map.of("format", "csv"));
    HttpResult jsonl = Invocations.get(handler, "/ai/training/dataset/export", Map.of("format", "jsonl"));
    assertThat(csv.status()).isEqualTo(200);
    assertThat(jsonl.status()).isEqualTo(200);
    row(JOHN, null, "john only, exported later", "top_up_by_card_charge", t.plusSeconds(180));
    put("exports/johns-only.jsonl", JsonlFormat.line(new TrainingSample("john only, exported later",
        "top_up_by_card_charge", "", 80, "", false, false, "live", t.plusSeconds(180))) + "\n");
    String before = get("datasets/run-1.jsonl").orElseThrow();

    // Act
    HttpResult response = erase("{\"user_id\": \"" + JANE + "\"}");

    // Assert: the answer, the rows, the snapshot, the exports, the audit row.
    assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
    JsonNode body = response.body();
    assertThat(body.get("status").asText()).isEqualTo("complete");
    assertThat(body.get("rows_deleted").asInt()).isEqualTo(2);
    assertThat(body.get("corrections_deleted").asInt()).isEqualTo(1);
    assertThat(body.get("s3_objects_rewritten").asInt()).isEqualTo(1);
    assertThat(body.get("s3_objects_deleted").asInt()).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE user_id = '" + JANE + "'")).isZero();
    assertThat(count("SELECT count(*) FROM ai_intent_corrections")).isZero();
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE user_id = '" + JOHN + "'")).isEqualTo(2);
    String after = get("datasets/run-1.jsonl").orElseThrow();
    assertThat(after).doesNotContain("never arrived", "charged twice").contains("how do I top up");
    assertThat(before.lines().filter(l -> l.contains("top up")).toList())
        .isEqualTo(after.lines().toList());
    assertThat(keys("exports/")).containsExactly("exports/johns-only.jsonl");
    assertThat(count("SELECT count(*) FROM ai_data_erasures WHERE kind = 'user' AND subject_id = '" + JANE
        + "' AND rows_deleted = 2 AND status = 'complete' AND s3_lines_removed = 6")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ai_erasure_lines")).as("keys are forgotten once complete").isZero();
  }

  @Test
  void erasingAgainIsHarmlessAndErasingByConversationLeavesTheUsersOtherConversations() throws Exception {
    // Arrange
    Instant t = Instant.parse("2026-02-01T09:00:00Z");
    row(JANE, JANES_CHAT, "in the chat", "card_arrival", t);
    row(JANE, UUID.randomUUID(), "in another chat", "card_arrival", t);

    // Act
    HttpResult first = erase("{\"conversation_id\": \"" + JANES_CHAT + "\"}");
    HttpResult second = erase("{\"conversation_id\": \"" + JANES_CHAT + "\"}");

    // Assert
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("rows_deleted").asInt()).isEqualTo(1);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().get("rows_deleted").asInt()).isZero();
    assertThat(second.body().get("status").asText()).isEqualTo("complete");
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE user_id = '" + JANE + "'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ai_data_erasures WHERE kind = 'conversation'")).isEqualTo(2);
  }

  @Test
  void whileATrainingRunHoldsTheLockTheErasureStaysPendingAndTheNextCallCompletesIt() throws Exception {
    // Arrange: a run that read Jane's row holds the lock; it writes its snapshot after the erasure.
    Instant t = Instant.parse("2026-02-01T09:00:00Z");
    row(JANE, null, "jane's message", "card_arrival", t);
    String lateSnapshot = snapshotOfAllRows();
    HttpResult pending;
    try (TrainingLock lock = TrainingLock.tryAcquire(database).orElseThrow()) {
      // Act 1
      pending = erase("{\"user_id\": \"" + JANE + "\"}");
      put("datasets/run-late.jsonl", lateSnapshot);
    }

    // Act 2: the run has ended; any erasure (here an unrelated one) finishes the sweep.
    HttpResult next = erase("{\"user_id\": \"" + JOHN + "\"}");

    // Assert
    assertThat(pending.status()).isEqualTo(202);
    assertThat(pending.body().get("status").asText()).isEqualTo("rows_erased");
    assertThat(pending.body().get("message").asText()).contains("training run");
    assertThat(next.status()).isEqualTo(200);
    assertThat(get("datasets/run-late.jsonl").orElseThrow()).doesNotContain("jane's message");
    assertThat(count("SELECT count(*) FROM ai_data_erasures WHERE status = 'complete'")).isEqualTo(2);
  }

  @Test
  void aBadRequestIs400NamingTheFieldAndErasesNothing() throws Exception {
    row(JANE, null, "kept", "card_arrival", Instant.parse("2026-02-01T09:00:00Z"));

    assertThat(Map.of(
        "{\"user_id\": \"jane@example.com\"}", "user_id",
        "{\"user_id\": \"" + JANE + "\", \"conversation_id\": \"" + JANES_CHAT + "\"}", "conversation_id",
        "{}", "user_id",
        "{\"email\": \"x\"}", "email")).allSatisfy((body, field) -> {
          HttpResult refused = erase(body);
          assertThat(refused.status()).as(body).isEqualTo(400);
          assertThat(refused.errorField()).as(body).isEqualTo(field);
          assertThat(refused.body().toString()).as(body).doesNotContain("jane@example.com");
        });
    assertThat(count("SELECT count(*) FROM ai_training_data")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ai_data_erasures")).isZero();
  }

  @Test
  void theRetentionScheduleDeletesOldUnreviewedRowsAndKeepsReviewedAndRecentOnes() throws Exception {
    // Arrange: NOW is 2026-03-02; the age is 365 days.
    Instant old = Instant.parse("2024-06-01T00:00:00Z");
    row(null, null, "old and unreviewed", "card_arrival", old);
    UUID corrected = row(null, null, "old but corrected", "card_arrival", old);
    correct(corrected);
    UUID approved = row(null, null, "old but approved", "card_arrival", old);
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("UPDATE ai_training_data SET dataset_status = 'approved' WHERE id = '" + approved + "'");
    }
    row(null, null, "recent", "card_arrival", Instant.parse("2026-02-01T00:00:00Z"));

    // Act
    JsonNode result = Json.read(Invocations.invokeFile(handler, "snapshot-schedule-retention.json"));
    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
        () -> Invocations.invokeFile(handler, "snapshot-schedule-retention.invalid.json"));

    // Assert
    assertThat(result.get("retention").get("rows_deleted").asInt()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ai_training_data")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE user_message = 'old and unreviewed'")).isZero();
    assertThat(count("SELECT count(*) FROM ai_data_erasures WHERE kind = 'retention' AND rows_deleted = 1")).isEqualTo(1);
    assertThat(refused).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention must be true (field detail.retention)");
  }

  /** The JSON of an invocation's answer. */
  static final class Json {
    static JsonNode read(String text) throws Exception {
      return io.intentpipeline.json.Json.MAPPER.readTree(text);
    }
  }
}
