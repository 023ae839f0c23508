package io.intentpipeline.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** submit_intent_correction and the review trigger: every side effect, duplicates, errors. */
class SubmitIntentCorrectionIT {
  static TestStack stack;
  static final UUID ADMIN = UUID.fromString("aaaaaaaa-0000-4000-8000-000000000001");
  static final UUID OTHER_ADMIN = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000002");
  static int counter;

  @BeforeAll
  static void start() {
    stack = TestStack.create("correction");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static UUID insert(Row row) throws SQLException {
    try (Connection c = stack.connect()) {
      return row.insert(c);
    }
  }

  private static Row fresh() {
    return Row.of("corr-" + (++counter)).detected("purchase_status").response("bot answer").confidence(55);
  }

  private static JsonNode submit(UUID id, String intent, String response, Boolean escalate, String notes, UUID corrector)
      throws SQLException {
    try (Connection c = stack.connect();
         PreparedStatement s = c.prepareStatement("SELECT submit_intent_correction(?, ?, ?, ?, ?, ?)::text")) {
      s.setObject(1, id);
      s.setString(2, intent);
      s.setString(3, response);
      s.setObject(4, escalate, java.sql.Types.BOOLEAN);
      s.setString(5, notes);
      s.setObject(6, corrector);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Json.parseBody(rs.getString(1));
      }
    }
  }

  private static Map<String, Object> data(UUID id) throws SQLException {
    try (Connection c = stack.connect();
         PreparedStatement s = c.prepareStatement("SELECT * FROM ai_training_data WHERE id = ?")) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        Map<String, Object> row = new HashMap<>();
        for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
          Object value = rs.getObject(k);
          // An array column (redacted_kinds) compares by its elements, not by the driver's object.
          row.put(rs.getMetaData().getColumnName(k),
              value instanceof java.sql.Array array ? List.of((Object[]) array.getArray()) : value);
        }
        return row;
      }
    }
  }

  private static List<Map<String, Object>> corrections(UUID id) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = stack.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT * FROM ai_intent_corrections WHERE training_data_id = ? ORDER BY created_at, id")) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new HashMap<>();
          for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
            row.put(rs.getMetaData().getColumnName(k), rs.getObject(k));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  @Test
  void aMismatchUpdatesTheRowRecordsTheCorrectionAndMarksTheBotWrong() throws Exception {
    UUID id = insert(fresh());
    java.sql.Timestamp before = (java.sql.Timestamp) data(id).get("updated_at");

    JsonNode result = submit(id, "refund_request", "the right answer", true, "customer wanted money back", ADMIN);

    Map<String, Object> row = data(id);
    assertThat(row).containsEntry("correct_intent", "refund_request").containsEntry("correct_response", "the right answer")
        .containsEntry("should_escalate", true).containsEntry("corrected_by", ADMIN)
        .containsEntry("corrected_by_human", true).containsEntry("intent_correct", false)
        .containsEntry("dataset_status", "reviewed").containsEntry("detected_intent", "purchase_status")
        .containsEntry("ai_response", "bot answer");
    assertThat(row.get("corrected_at")).isNotNull();
    assertThat((java.sql.Timestamp) row.get("updated_at")).isAfter(before);
    List<Map<String, Object>> audit = corrections(id);
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0)).containsEntry("original_intent", "purchase_status")
        .containsEntry("corrected_intent", "refund_request").containsEntry("was_mismatch", true)
        .containsEntry("corrected_response", "the right answer").containsEntry("should_escalate", true)
        .containsEntry("notes", "customer wanted money back").containsEntry("corrected_by", ADMIN);
    assertThat(result.get("correction_id").asText()).isEqualTo(audit.get(0).get("id").toString());
    assertThat(result.get("training_data_id").asText()).isEqualTo(id.toString());
    assertThat(result.get("original_intent").asText()).isEqualTo("purchase_status");
    assertThat(result.get("corrected_intent").asText()).isEqualTo("refund_request");
    assertThat(result.get("was_mismatch").asBoolean()).isTrue();
    assertThat(result.get("duplicate").asBoolean()).isFalse();
  }

  @Test
  void aMatchConfirmsTheBotWithoutMarkingItWrong() throws Exception {
    UUID id = insert(fresh());

    JsonNode result = submit(id, "purchase_status", null, null, null, ADMIN);

    Map<String, Object> row = data(id);
    assertThat(row).containsEntry("intent_correct", true).containsEntry("corrected_by_human", true)
        .containsEntry("correct_response", null).containsEntry("should_escalate", null);
    assertThat(corrections(id)).singleElement().satisfies(c -> assertThat(c).containsEntry("was_mismatch", false));
    assertThat(result.get("was_mismatch").asBoolean()).isFalse();
  }

  @Test
  void submittingTheSameCorrectionTwiceIsHarmless() throws Exception {
    UUID id = insert(fresh());
    JsonNode first = submit(id, "refund_request", "answer", false, "note", ADMIN);
    Map<String, Object> afterFirst = data(id);

    JsonNode second = submit(id, "refund_request", "answer", false, "note", ADMIN);

    assertThat(second.get("duplicate").asBoolean()).isTrue();
    assertThat(second.get("correction_id").asText()).isEqualTo(first.get("correction_id").asText());
    assertThat(corrections(id)).hasSize(1);
    assertThat(data(id)).isEqualTo(afterFirst);
  }

  @Test
  void aDifferentSecondCorrectionIsRecordedAndWins() throws Exception {
    UUID id = insert(fresh());
    submit(id, "refund_request", "first answer", true, null, ADMIN);

    JsonNode second = submit(id, "purchase_status", null, null, "on second thought", OTHER_ADMIN);

    assertThat(second.get("duplicate").asBoolean()).isFalse();
    assertThat(second.get("was_mismatch").asBoolean()).isFalse();
    // A correction without answer or escalation keeps the ones given before.
    assertThat(data(id)).containsEntry("correct_intent", "purchase_status").containsEntry("intent_correct", true)
        .containsEntry("correct_response", "first answer").containsEntry("should_escalate", true)
        .containsEntry("corrected_by", OTHER_ADMIN);
    assertThat(corrections(id)).extracting(c -> c.get("corrected_intent"))
        .containsExactly("refund_request", "purchase_status");
  }

  @Test
  void statusMovesFromPendingRejectedOrUsedInTrainingToReviewedAndNoFurtherBack() throws Exception {
    UUID rejected = insert(fresh().status("rejected"));
    UUID approved = insert(fresh().status("approved"));
    UUID used = insert(fresh().status("used_in_training"));

    submit(rejected, "greeting", null, null, null, ADMIN);
    submit(approved, "greeting", null, null, null, ADMIN);
    submit(used, "greeting", null, null, null, ADMIN);

    assertThat(data(rejected)).containsEntry("dataset_status", "reviewed");
    assertThat(data(approved)).containsEntry("dataset_status", "approved");
    // A correction is a human review (db/V15): a row a run already used becomes reviewed too.
    assertThat(data(used)).containsEntry("dataset_status", "reviewed");
  }

  @Test
  void aRowWithoutDetectedIntentIsAMismatch() throws Exception {
    UUID id = insert(fresh().detected(null));

    JsonNode result = submit(id, "greeting", null, null, null, null);

    assertThat(result.get("was_mismatch").asBoolean()).isTrue();
    assertThat(result.get("original_intent").isNull()).isTrue();
    assertThat(data(id)).containsEntry("intent_correct", false).containsEntry("corrected_by", null);
  }

  @Test
  void anUnknownRowRaisesNoDataFound() {
    assertThatThrownBy(() -> submit(UUID.randomUUID(), "greeting", null, null, null, ADMIN))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("P0002"));
  }

  @Test
  void badArgumentsRaiseInvalidParameterValueAndChangeNothing() throws Exception {
    UUID id = insert(fresh());

    for (String intent : new String[] {null, "", "two words", "_x", "x".repeat(101)}) {
      assertThatThrownBy(() -> submit(id, intent, null, null, null, ADMIN))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
    }
    assertThatThrownBy(() -> submit(null, "greeting", null, null, null, ADMIN))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
    assertThat(corrections(id)).isEmpty();
    assertThat(data(id)).containsEntry("correct_intent", null).containsEntry("intent_correct", null);
  }

  @Test
  void theTriggerJudgesEveryChangeOfTheCorrectIntentAndNothingElse() throws Exception {
    UUID id = insert(fresh());
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("UPDATE ai_training_data SET category = 'orders' WHERE id = '" + id + "'");
      Map<String, Object> untouched = data(id);
      s.execute("UPDATE ai_training_data SET correct_intent = 'refund_request' WHERE id = '" + id + "'");
      Map<String, Object> mismatch = data(id);
      s.execute("UPDATE ai_training_data SET correct_intent = 'purchase_status' WHERE id = '" + id + "'");
      Map<String, Object> match = data(id);
      s.execute("UPDATE ai_training_data SET detected_intent = 'greeting' WHERE id = '" + id + "'");
      Map<String, Object> redetected = data(id);

      assertThat(untouched).containsEntry("intent_correct", null).containsEntry("corrected_by_human", false);
      assertThat(mismatch).containsEntry("intent_correct", false).containsEntry("corrected_by_human", true);
      assertThat(match).containsEntry("intent_correct", true);
      assertThat(redetected).containsEntry("intent_correct", false);
    }
  }

  @Test
  void aRowInsertedWithAHumanLabelIsJudgedAtOnce() throws Exception {
    UUID wrong = insert(fresh().correct("refund_request"));
    UUID right = insert(fresh().correct("purchase_status"));

    assertThat(data(wrong)).containsEntry("intent_correct", false).containsEntry("corrected_by_human", true);
    assertThat(data(right)).containsEntry("intent_correct", true).containsEntry("corrected_by_human", true);
  }
}
