package io.intentpipeline.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.testing.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** get_training_dataset: every filter, the corrected label and answer, the order and the limit. */
class GetTrainingDatasetIT {
  static TestStack stack;
  static final Map<UUID, String> NAMES = new HashMap<>();
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @BeforeAll
  static void fixture() throws SQLException {
    stack = TestStack.create("dataset");
    try (Connection c = stack.connect()) {
      // created_at rises with the letter, so newest first is j, i, h, ...
      List<Row> rows = List.of(
          Row.of("a").detected("greeting").confidence(90).response("hello!").escalated(true).category("small_talk"),
          Row.of("b").detected(null).confidence(90),
          Row.of("c").detected(null).correct("refund_request").confidence(95),
          Row.of("d").detected("greeting").status("rejected"),
          Row.of("e").detected("greeting").confidence(40),
          Row.of("f").detected("greeting").confidence(null).source("imported"),
          Row.of("g").detected("greeting").correct("billing").confidence(10).response("wrong answer")
              .correctResponse("the right answer"),
          Row.of("h").detected("greeting").confidence(70).status("reviewed"),
          Row.of("i").detected("greeting").confidence(70).status("approved"),
          Row.of("j").detected("greeting").confidence(70).status("used_in_training"));
      for (int k = 0; k < rows.size(); k++) {
        Row row = rows.get(k).created(T0.plusSeconds(60L * k));
        NAMES.put(row.insert(c), row.interactionId);
      }
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** The rows the function returns, as their interaction ids in its order. */
  private static List<String> dataset(Object minConfidence, Object onlyReviewed, Object limit) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = stack.connect();
         PreparedStatement s = c.prepareStatement("SELECT id FROM get_training_dataset(?, ?, ?)")) {
      s.setObject(1, minConfidence, java.sql.Types.INTEGER);
      s.setObject(2, onlyReviewed, java.sql.Types.BOOLEAN);
      s.setObject(3, limit, java.sql.Types.INTEGER);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          names.add(NAMES.get(rs.getObject(1, UUID.class)));
        }
      }
    }
    return names;
  }

  @Test
  void leavesOutRowsWithoutIntentAndRejectedRowsHumanVerifiedFirstThenNewestFirst() throws Exception {
    List<String> all = dataset(0, false, 100000);

    // i approved, h reviewed, g and c corrected; then the bot-labelled rows (f was imported but is
    // still pending: nobody said it is labelled data).
    assertThat(all).containsExactly("i", "h", "g", "c", "j", "f", "e", "a");
  }

  @Test
  void minimumConfidenceIsInclusiveAndSparesCorrectedAndUnscoredRows() throws Exception {
    List<String> at40 = dataset(40, false, 100000);
    List<String> at41 = dataset(41, false, 100000);
    List<String> at100 = dataset(100, false, 100000);

    assertThat(at40).contains("e");
    assertThat(at41).doesNotContain("e").contains("a", "h", "i", "j");
    assertThat(at100).containsExactly("g", "c", "f");
  }

  @Test
  void onlyReviewedKeepsCorrectedRowsAndReviewedOrApprovedStatuses() throws Exception {
    List<String> reviewed = dataset(0, true, 100000);
    List<String> nullMeansFalse = dataset(0, null, 100000);

    assertThat(reviewed).containsExactly("i", "h", "g", "c");
    assertThat(nullMeansFalse).isEqualTo(dataset(0, false, 100000));
  }

  @Test
  void theLimitDropsTheBotsLabelsBeforeAnyHumanLabelHoweverOld() throws Exception {
    // c, corrected, is older than j, e and a, which the bot labelled: they go first.
    assertThat(dataset(0, false, 4)).containsExactly("i", "h", "g", "c");
    assertThat(dataset(0, false, 5)).containsExactly("i", "h", "g", "c", "j");
    // More human-verified rows than the limit: the newest of them.
    assertThat(dataset(0, false, 1)).containsExactly("i");
  }

  @Test
  void saysWhichRowsAreAuditPicks() throws Exception {
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("UPDATE ai_training_data SET review_reason = 'audit' WHERE interaction_id = 'e'");
      Map<String, Boolean> audit = new HashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT id, audit FROM get_training_dataset()")) {
        while (rs.next()) {
          audit.put(NAMES.get(rs.getObject(1, UUID.class)), rs.getBoolean(2));
        }
      } finally {
        s.execute("UPDATE ai_training_data SET review_reason = NULL WHERE interaction_id = 'e'");
      }

      assertThat(audit).containsEntry("e", true).containsEntry("j", false).containsEntry("a", false).hasSize(8);
    }
  }

  @Test
  void saysWhichRowsAHumanVerified() throws Exception {
    Map<String, Boolean> verified = new HashMap<>();
    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id, human_verified FROM get_training_dataset()")) {
      while (rs.next()) {
        verified.put(NAMES.get(rs.getObject(1, UUID.class)), rs.getBoolean(2));
      }
    }

    assertThat(verified).containsExactlyInAnyOrderEntriesOf(Map.of("i", true, "h", true, "g", true, "c", true,
        "j", false, "f", false, "e", false, "a", false));
  }

  @Test
  void theHumanLabelAndAnswerOverrideTheBotsAndEveryColumnIsFilled() throws Exception {
    Map<String, Map<String, Object>> byName = new HashMap<>();
    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT * FROM get_training_dataset()")) {
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (String column : List.of("user_message", "intent", "response", "confidence_score", "category",
            "was_escalated", "was_corrected", "source", "dataset_status", "created_at")) {
          row.put(column, rs.getObject(column));
        }
        byName.put(NAMES.get(rs.getObject("id", UUID.class)), row);
      }
    }

    assertThat(byName.get("g")).containsEntry("intent", "billing").containsEntry("response", "the right answer")
        .containsEntry("was_corrected", true).containsEntry("confidence_score", 10).containsEntry("dataset_status", "pending");
    assertThat(byName.get("c")).containsEntry("intent", "refund_request").containsEntry("was_corrected", true);
    assertThat(byName.get("a")).containsEntry("intent", "greeting").containsEntry("response", "hello!")
        .containsEntry("was_escalated", true).containsEntry("was_corrected", false).containsEntry("category", "small_talk")
        .containsEntry("user_message", "message of a").containsEntry("source", "live");
    assertThat(byName.get("f")).containsEntry("source", "imported").containsEntry("confidence_score", null);
    assertThat(byName.get("a").get("created_at")).isNotNull();
  }

  @Test
  void rowsCreatedAtTheSameMomentAreOrderedById() throws Exception {
    Instant same = Instant.parse("2030-01-01T00:00:00Z");
    List<UUID> ids = new ArrayList<>();
    try (Connection c = stack.connect()) {
      for (String name : List.of("tie-1", "tie-2", "tie-3")) {
        UUID id = Row.of(name).status("reviewed").created(same).insert(c);
        NAMES.put(id, name);
        ids.add(id);
      }
      // PostgreSQL orders uuids bytewise, as their text sorts (UUID.compareTo uses signed longs).
      List<String> expected = ids.stream().sorted(java.util.Comparator.comparing(UUID::toString)).map(NAMES::get).toList();

      assertThat(dataset(0, false, 3)).containsExactlyElementsOf(expected);
    } finally {
      try (Connection c = stack.connect(); var s = c.createStatement()) {
        s.execute("DELETE FROM ai_training_data WHERE interaction_id LIKE 'tie-%'");
      }
    }
  }

  @Test
  void outOfRangeArgumentsAreRefusedWithInvalidParameterValue() {
    for (Object[] args : new Object[][] {{-1, false, 10}, {101, false, 10}, {null, false, 10}, {0, false, 0},
        {0, false, 1000001}, {0, false, null}}) {
      assertThatThrownBy(() -> dataset(args[0], args[1], args[2]))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
    }
  }
}
