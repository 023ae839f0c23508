package io.intentpipeline.correction;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.review.ReviewOrder;
import io.intentpipeline.review.ReviewService;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /ai/training/correction/undo on real PostgreSQL: the row gets back exactly what it had
 * before the correction, the audit trail keeps the correction and records the undo, and an undo
 * that cannot be honest (twice, not the latest, trained since) is refused with 409, an unknown
 * correction with 404, bad input with 400 - each changing nothing.
 */
class CorrectionUndoIT {
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("correctionundo").emptyingTrainingRows();
  static TestStack stack;
  static CorrectionHandler handler;

  /** The fields a correction changes, and those an undo must put back. */
  private static final String FIELDS = "correct_intent, correct_response, should_escalate, corrected_by, corrected_at,"
      + " corrected_by_human, intent_correct, dataset_status, last_run_id";

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    handler = new CorrectionHandler(new ReviewService(STACK.database()), ReviewOrder.DEFAULT);
  }

  private static void insert(Row... rows) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(rows));
    }
  }

  private static Map<String, Object> row(UUID id) throws SQLException {
    try (Connection c = stack.connect();
         var s = c.prepareStatement("SELECT " + FIELDS + " FROM ai_training_data WHERE id = ?")) {
      s.setObject(1, id);
      try (var rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
        return row;
      }
    }
  }

  private static long count(String sql, UUID id) throws SQLException {
    try (Connection c = stack.connect(); var s = c.prepareStatement(sql)) {
      s.setObject(1, id);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static HttpResult correct(UUID id, String body) {
    return Invocations.http(handler, "POST", "/ai/training/correction", Map.of(),
        "{\"training_data_id\": \"" + id + "\", " + body + "}");
  }

  private static HttpResult undo(Object correctionId) {
    return Invocations.http(handler, "POST", "/ai/training/correction/undo", Map.of(),
        "{\"correction_id\": \"" + correctionId + "\"}");
  }

  private static UUID correctionId(HttpResult answer) {
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
    return UUID.fromString(answer.body().get("correction_id").asText());
  }

  @Test
  void undoPutsBackExactlyWhatTheRowHadAndKeepsTheAuditTrail() throws Exception {
    // Arrange: a pending row with an answer of its own, corrected with every field
    Row sample = Row.detected("card_linking").response("Link it in the app.").confidence(41);
    insert(sample);
    Map<String, Object> before = row(sample.id());
    UUID correction = correctionId(correct(sample.id(), "\"correct_intent\": \"card_arrival\", \"correct_response\":"
        + " \"Cards arrive in 3 to 5 days.\", \"should_escalate\": true, \"corrector_id\":"
        + " \"7d2c9e41-1f6b-4a8e-b3c5-9e0d8a7f6b12\""));
    assertThat(row(sample.id())).isNotEqualTo(before).containsEntry("dataset_status", "reviewed");

    // Act
    HttpResult undone = undo(correction);

    // Assert
    assertThat(undone.status()).as(undone.body().toString()).isEqualTo(200);
    assertThat(undone.body().get("status").asText()).isEqualTo("undone");
    assertThat(undone.body().get("training_data_id").asText()).isEqualTo(sample.id().toString());
    assertThat(undone.body().get("dataset_status").asText()).isEqualTo("pending");
    assertThat(row(sample.id())).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM ai_intent_corrections WHERE training_data_id = ?", sample.id())).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ai_intent_correction_undos WHERE correction_id = ?", correction)).isEqualTo(1);
    // Back in the queue
    HttpResult queue = Invocations.http(handler, "GET", "/ai/training/pending-review", Map.of("limit", "100"), null);
    assertThat(queue.body().get("items").findValuesAsText("id")).contains(sample.id().toString());
  }

  @Test
  void undoingTwiceIsRefusedAndTheSameCorrectionCanBeRecordedAgain() throws Exception {
    Row sample = Row.detected("card_linking");
    insert(sample);
    UUID correction = correctionId(correct(sample.id(), "\"correct_intent\": \"card_arrival\""));
    assertThat(undo(correction).status()).isEqualTo(200);
    Map<String, Object> afterUndo = row(sample.id());

    HttpResult again = undo(correction);
    HttpResult resubmitted = correct(sample.id(), "\"correct_intent\": \"card_arrival\"");

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("error").get("code").asText()).isEqualTo("already_undone");
    assertThat(again.body().get("error").get("message").asText()).contains("already undone");
    // The refusal changed nothing; the undone correction is no reason to call a resubmission a duplicate.
    assertThat(afterUndo).containsEntry("correct_intent", null).containsEntry("dataset_status", "pending");
    assertThat(resubmitted.status()).as(resubmitted.body().toString()).isEqualTo(201);
    assertThat(row(sample.id())).containsEntry("correct_intent", "card_arrival").containsEntry("dataset_status", "reviewed");
  }

  @Test
  void onlyTheLatestCorrectionCanBeUndoneAndItRestoresTheEarlierCorrection() throws Exception {
    Row sample = Row.detected("card_linking");
    insert(sample);
    UUID first = correctionId(correct(sample.id(), "\"correct_intent\": \"card_arrival\""));
    Map<String, Object> afterFirst = row(sample.id());
    UUID second = correctionId(correct(sample.id(), "\"correct_intent\": \"card_delivery\""));

    HttpResult older = undo(first);
    assertThat(older.status()).isEqualTo(409);
    assertThat(older.body().get("error").get("code").asText()).isEqualTo("not_latest");
    assertThat(row(sample.id())).containsEntry("correct_intent", "card_delivery");

    assertThat(undo(second).status()).isEqualTo(200);
    assertThat(row(sample.id())).isEqualTo(afterFirst);
  }

  @Test
  void aRowATrainingRunUsedAfterTheCorrectionIsRefused() throws Exception {
    Row sample = Row.detected("card_linking");
    insert(sample);
    UUID correction = correctionId(correct(sample.id(), "\"correct_intent\": \"card_arrival\""));
    try (Connection c = stack.connect(); var s = c.prepareStatement(
        "WITH run AS (INSERT INTO ai_training_runs (run_name, status) VALUES ('undo_it', 'running') RETURNING id)"
            + " UPDATE ai_training_data SET last_run_id = (SELECT id FROM run) WHERE id = ?")) {
      s.setObject(1, sample.id());
      s.executeUpdate();
    }
    Map<String, Object> trained = row(sample.id());

    HttpResult refused = undo(correction);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("error").get("code").asText()).isEqualTo("trained_since");
    assertThat(row(sample.id())).isEqualTo(trained);
  }

  @Test
  void anUnknownCorrectionIs404AndBadInput400() {
    HttpResult unknown = undo(UUID.randomUUID());
    HttpResult notAnId = undo("42");
    HttpResult missing = Invocations.http(handler, "POST", "/ai/training/correction/undo", Map.of(), "{}");
    HttpResult extra = Invocations.http(handler, "POST", "/ai/training/correction/undo", Map.of(),
        "{\"correction_id\": \"" + UUID.randomUUID() + "\", \"training_data_id\": \"x\"}");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorField()).isEqualTo("correction_id");
    assertThat(notAnId.status()).isEqualTo(400);
    assertThat(notAnId.errorField()).isEqualTo("correction_id");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().get("error").get("message").asText()).contains("correction_id is required");
    assertThat(extra.status()).isEqualTo(400);
    assertThat(extra.errorField()).isEqualTo("training_data_id");
  }
}
